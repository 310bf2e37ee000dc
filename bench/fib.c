// SPDX-License-Identifier: GPL-2.0
/*
 * fib.c - the reference: the kernel's own FIB loaded with the same
 * prefixes the way a fast routing daemon loads it, by batched rtnetlink.
 *
 * Many RTM_NEWROUTE messages go in one sendmsg() (the kernel processes
 * every message of the buffer in turn) and none asks for an ACK: the
 * kernel answers only the failures, which are collected after each
 * buffer.  Only the last message asks for an ACK, and it is answered
 * after all the others have been processed, which ends the timing.  The
 * routes are "unreachable" routes in table 100: they need no device, and
 * a dedicated table is counted and flushed without touching the VM's own
 * routes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "bench.h"

#define FIB_TABLE	100
#define SEND_BYTES	(256 * 1024)	/* messages per sendmsg: ~6000 IPv4 */
#define RECV_BYTES	(1024 * 1024)

struct nl {
	int fd;
	uint32_t seq;
	char *buf;		/* messages not sent yet */
	size_t len;
	struct nlmsghdr *last;	/* the last one appended */
	char *rbuf;
	unsigned long errors;	/* failures reported by the kernel */
	int first_error;	/* and the first one's errno */
	uint32_t ack_seq;	/* the message that asks for an ACK */
	int acked;		/* and its reply came */
};

static void nl_open(struct nl *nl)
{
	int snd = 2 * SEND_BYTES, rcv = 8 * RECV_BYTES;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0)
		die("netlink socket: %s", strerror(errno));
	/*
	 * A send larger than the socket's send buffer fails with EMSGSIZE,
	 * and error replies that do not fit the receive buffer are lost:
	 * raise both past the sysctl caps (root), or to the caps.
	 */
	if (setsockopt(nl->fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)))
		setsockopt(nl->fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)))
		setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	nl->buf = xcalloc(1, SEND_BYTES);
	nl->rbuf = xcalloc(1, RECV_BYTES);
}

static void nl_close(struct nl *nl)
{
	close(nl->fd);
	free(nl->buf);
	free(nl->rbuf);
}

/*
 * Reads what the kernel sent: error replies (counted) and the reply to
 * the message ack_seq.  wait: until that reply has come; otherwise only
 * what is there already.
 */
static void nl_replies(struct nl *nl, int wait)
{
	while (!(wait && nl->acked)) {
		ssize_t n = recv(nl->fd, nl->rbuf, RECV_BYTES,
				 wait ? 0 : MSG_DONTWAIT);
		struct nlmsghdr *h;

		if (n < 0 && !wait && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("netlink recv: %s (error replies lost?)",
			    strerror(errno));
		for (h = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error && !nl->errors++)
				nl->first_error = -e->error;
			if (h->nlmsg_seq == nl->ack_seq)
				nl->acked = 1;
		}
	}
}

static void nl_flush(struct nl *nl)
{
	size_t off = 0;

	while (off < nl->len) {
		ssize_t n = send(nl->fd, nl->buf + off, nl->len - off, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("netlink send: %s", strerror(errno));
		off += (size_t)n;
	}
	nl->len = 0;
	nl->last = NULL;
	nl_replies(nl, 0);
}

static void nl_route(struct nl *nl, uint16_t type, const struct ptable *t,
		     const struct prefix *p)
{
	size_t need = NLMSG_SPACE(sizeof(struct rtmsg)) +
		      RTA_SPACE(t->bytes) + RTA_SPACE(sizeof(uint32_t));
	struct nlmsghdr *h;
	struct rtmsg *r;
	struct rtattr *a;
	uint32_t table = FIB_TABLE;

	if (nl->len + need > SEND_BYTES)
		nl_flush(nl);
	h = (struct nlmsghdr *)(nl->buf + nl->len);
	memset(h, 0, need);
	h->nlmsg_len = (uint32_t)need;
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST;
	if (type == RTM_NEWROUTE)
		h->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	h->nlmsg_seq = ++nl->seq;
	r = NLMSG_DATA(h);
	r->rtm_family = (uint8_t)t->family;
	r->rtm_dst_len = p->len;
	r->rtm_table = FIB_TABLE;
	r->rtm_protocol = RTPROT_STATIC;
	r->rtm_scope = RT_SCOPE_UNIVERSE;
	r->rtm_type = RTN_UNREACHABLE;
	a = (struct rtattr *)((char *)r + NLMSG_ALIGN(sizeof(*r)));
	a->rta_type = RTA_DST;
	a->rta_len = (unsigned short)RTA_LENGTH(t->bytes);
	memcpy(RTA_DATA(a), p->addr, (size_t)t->bytes);
	a = (struct rtattr *)((char *)a + RTA_SPACE(t->bytes));
	a->rta_type = RTA_TABLE;
	a->rta_len = RTA_LENGTH(sizeof(table));
	memcpy(RTA_DATA(a), &table, sizeof(table));
	nl->len += need;
	nl->last = h;
}

/* Every prefix as a NEWROUTE or DELROUTE; returns the seconds it took. */
static double nl_all(struct nl *nl, uint16_t type, const struct ptable *t)
{
	double t0 = now();

	nl->errors = 0;
	nl->acked = 0;
	for (size_t i = 0; i < t->n; i++)
		nl_route(nl, type, t, &t->p[i]);
	nl->last->nlmsg_flags |= NLM_F_ACK;
	nl->ack_seq = nl->last->nlmsg_seq;
	nl_flush(nl);
	nl_replies(nl, 1);
	if (nl->errors)
		die("FIB %s: %lu of %zu routes failed, first: %s",
		    type == RTM_NEWROUTE ? "add" : "delete", nl->errors, t->n,
		    strerror(nl->first_error));
	return now() - t0;
}

/* Routes of table 100 of t's family, by a dump of the whole FIB. */
static size_t nl_count(struct nl *nl, const struct ptable *t)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
	} req;
	size_t count = 0;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_GETROUTE;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = ++nl->seq;
	req.r.rtm_family = (uint8_t)t->family;
	if (send(nl->fd, &req, sizeof(req), 0) < 0)
		die("netlink dump request: %s", strerror(errno));
	for (;;) {
		ssize_t n = recv(nl->fd, nl->rbuf, RECV_BYTES, 0);
		struct nlmsghdr *h;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("netlink dump: %s", strerror(errno));
		for (h = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			const struct rtmsg *r = NLMSG_DATA(h);

			if (h->nlmsg_seq != req.h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return count;
			if (h->nlmsg_type == NLMSG_ERROR)
				die("netlink dump failed");
			if (h->nlmsg_type == RTM_NEWROUTE &&
			    r->rtm_table == FIB_TABLE)
				count++;
		}
	}
}

void fib_bench(const struct ptable *t, struct fib_result *r)
{
	long long s0, s1;
	struct nl nl;
	size_t left;

	memset(r, 0, sizeof(*r));
	nl_open(&nl);
	s0 = slab_settled();
	r->add_secs = nl_all(&nl, RTM_NEWROUTE, t);
	s1 = slab_bytes();
	r->slab = s1 - s0;
	r->routes = nl_count(&nl, t);
	if (r->routes != t->n)
		die("FIB table %d holds %zu routes, %zu were added", FIB_TABLE,
		    r->routes, t->n);
	r->del_secs = nl_all(&nl, RTM_DELROUTE, t);
	left = nl_count(&nl, t);
	if (left)
		die("FIB table %d: %zu routes left after the flush", FIB_TABLE,
		    left);
	nl_close(&nl);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rtm-demo - load a real Internet IPv4 prefix table into RTMv2 and query it.
 *
 * Usage: rtm-demo PREFIX-FILE
 *
 * PREFIX-FILE has one "PREFIX/LEN ORIGIN_ASN" per line (data/README.md);
 * a name ending in ".gz" is read through "gzip -dc".
 *
 * This is an ordinary RTMv2 client: it uses nothing but <rtmv2.h>, exactly
 * as it would on Windows.  One process registers two entities with RTM
 * instance 0 for IPv4:
 *
 *   "BGP"     (PROTO_IP_BGP) has four peers and adds one route, preference
 *             20, for every prefix of the file, through the peer chosen by
 *             the prefix's origin AS;
 *   "static"  (PROTO_IP_NETMGMT) has one gateway and adds one route,
 *             preference 1, for every 100th prefix.
 *
 * It then counts the table with a destination and a route enumeration,
 * looks a few addresses up (longest-prefix match, best route, owner, next
 * hop), and deregisters both entities, which deletes their routes and next
 * hops.  Any unexpected error prints the failing function and its Win32
 * code and ends the program with status 1.
 *
 * Every handle RTM gives out carries a reference that the client must give
 * back with the matching release function; the comments say which one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>

#include <rtmv2.h>

#define PREF_BGP	20	/* administrative preference of BGP routes */
#define PREF_STATIC	1	/* the best preference there is */
#define STATIC_EVERY	100	/* "static" covers every 100th prefix */
#define PROGRESS_EVERY	50000	/* a progress line every 50,000 routes */
#define NUM_PEERS	4

/* One line of the prefix file. */
struct prefix {
	ULONG addr;		/* network byte order, as RTM_IPV4_* expect */
	UCHAR len;
	ULONG asn;		/* origin AS */
};

/* One registered entity and what it added. */
struct entity {
	const char *name;
	ULONG protocol_id;
	RTM_ENTITY_HANDLE handle;	/* the registration handle */
	unsigned long routes_new;	/* adds that created a route */
	unsigned long routes_updated;	/* adds that updated an existing one */
};

static struct entity bgp_e = {
	.name = "BGP", .protocol_id = PROTO_IP_BGP,
};
static struct entity static_e = {
	.name = "static", .protocol_id = PROTO_IP_NETMGMT,
};

/* Both entities are in the same table, so they get the same profile. */
static RTM_REGN_PROFILE profile;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

static const char *win32_name(DWORD code)
{
	switch (code) {
	case NO_ERROR:			return "NO_ERROR";
	case ERROR_FILE_NOT_FOUND:	return "ERROR_FILE_NOT_FOUND";
	case ERROR_ACCESS_DENIED:	return "ERROR_ACCESS_DENIED";
	case ERROR_INVALID_HANDLE:	return "ERROR_INVALID_HANDLE";
	case ERROR_NOT_ENOUGH_MEMORY:	return "ERROR_NOT_ENOUGH_MEMORY";
	case ERROR_INVALID_DATA:	return "ERROR_INVALID_DATA";
	case ERROR_NOT_SUPPORTED:	return "ERROR_NOT_SUPPORTED";
	case ERROR_INVALID_PARAMETER:	return "ERROR_INVALID_PARAMETER";
	case ERROR_INSUFFICIENT_BUFFER:	return "ERROR_INSUFFICIENT_BUFFER";
	case ERROR_ALREADY_EXISTS:	return "ERROR_ALREADY_EXISTS";
	case ERROR_NO_MORE_ITEMS:	return "ERROR_NO_MORE_ITEMS";
	case ERROR_NOT_FOUND:		return "ERROR_NOT_FOUND";
	case ERROR_NO_SYSTEM_RESOURCES:	return "ERROR_NO_SYSTEM_RESOURCES";
	case ERROR_TIMEOUT:		return "ERROR_TIMEOUT";
	case ERROR_BAD_CONFIGURATION:	return "ERROR_BAD_CONFIGURATION";
	default:			return "unknown error";
	}
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("rtm-demo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/*
 * Ends the program if an RTMv2 call did not return NO_ERROR.  Exiting
 * without deregistering is safe: when the process ends, RTM deregisters
 * its entities and drops every reference they held.
 */
static void check(const char *function, DWORD rc)
{
	if (rc != NO_ERROR)
		die("%s failed: Win32 error %u (%s)", function, (unsigned)rc,
		    win32_name(rc));
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("out of memory");
	return p;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "a.b.c.d" for an IPv4 address in network byte order. */
static const char *ipv4_str(ULONG addr, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

/* "a.b.c.d/len" for an RTM_NET_ADDRESS of the IPv4 family. */
static const char *prefix_str(const RTM_NET_ADDRESS *a, char buf[32])
{
	char ip[INET_ADDRSTRLEN];
	ULONG addr;
	UINT len;

	RTM_IPV4_GET_ADDR_AND_LEN(addr, len, a);
	snprintf(buf, 32, "%s/%u", ipv4_str(addr, ip), len);
	return buf;
}

static ULONG parse_ipv4(const char *s)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		die("bad IPv4 address: %s", s);
	return in.s_addr;
}

/* Which of our two entities a handle names. */
static const char *owner_name(RTM_ENTITY_HANDLE owner)
{
	if (owner == bgp_e.handle)
		return bgp_e.name;
	if (owner == static_e.handle)
		return static_e.name;
	return owner ? "another entity" : "none";
}

/* ------------------------------------------------------------------------ */
/* Reading the prefix file                                                   */
/* ------------------------------------------------------------------------ */

/* The file, or "gzip -dc FILE" when its name ends in ".gz". */
static FILE *open_prefixes(const char *path, int *is_pipe)
{
	size_t n = strlen(path);
	FILE *f;

	*is_pipe = n > 3 && strcmp(path + n - 3, ".gz") == 0;
	if (!*is_pipe) {
		f = fopen(path, "r");
		if (!f)
			die("%s: %s", path, strerror(errno));
		return f;
	}

	/* The name goes to sh in single quotes, each ' written as '\''. */
	char *cmd = xcalloc(1, sizeof("gzip -dc ''") + 4 * n);
	char *p = cmd + sprintf(cmd, "gzip -dc '");

	for (const char *s = path; *s; s++) {
		if (*s == '\'')
			p += sprintf(p, "'\\''");
		else
			*p++ = *s;
	}
	strcpy(p, "'");
	f = popen(cmd, "r");
	if (!f)
		die("popen(%s): %s", cmd, strerror(errno));
	free(cmd);
	return f;
}

/* Parses every "PREFIX/LEN ASN" line; blank lines and '#' lines are skipped. */
static struct prefix *read_prefixes(const char *path, size_t *count)
{
	struct prefix *pfx = NULL;
	size_t n = 0, cap = 0, lineno = 0, linecap = 0;
	char *line = NULL;
	int is_pipe, st;
	FILE *f;

	f = open_prefixes(path, &is_pipe);
	while (getline(&line, &linecap, f) != -1) {
		char addr[INET_ADDRSTRLEN];
		unsigned int len;
		unsigned long asn;
		struct in_addr in;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
			continue;
		if (sscanf(line, "%15[0-9.]/%u %lu", addr, &len, &asn) != 3 ||
		    len > 32 || asn > 0xFFFFFFFFul ||
		    inet_pton(AF_INET, addr, &in) != 1)
			die("%s:%zu: not \"PREFIX/LEN ASN\": %s", path, lineno,
			    line);
		if (n == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			pfx = realloc(pfx, cap * sizeof(*pfx));
			if (!pfx)
				die("out of memory");
		}
		pfx[n].addr = in.s_addr;
		pfx[n].len = (UCHAR)len;
		pfx[n].asn = (ULONG)asn;
		n++;
	}
	if (ferror(f))
		die("%s: read error", path);
	free(line);
	if (is_pipe) {
		st = pclose(f);
		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die("gzip -dc %s failed", path);
	} else {
		fclose(f);
	}
	if (n == 0)
		die("%s: no prefixes", path);
	*count = n;
	return pfx;
}

/* ------------------------------------------------------------------------ */
/* Registration, next hops and routes                                        */
/* ------------------------------------------------------------------------ */

static void register_entity(struct entity *e)
{
	RTM_ENTITY_INFO info;

	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = 0;			/* the (only) RTM instance */
	info.AddressFamily = AF_INET;
	info.EntityId.EntityProtocolId = e->protocol_id;
	info.EntityId.EntityInstanceId = 1;	/* first instance of it */

	/* No exported methods, no event callback, no opaque pointer slot. */
	check("RtmRegisterEntity",
	      RtmRegisterEntity(&info, NULL, NULL, FALSE, &profile,
				&e->handle));
	printf("registered %-6s (protocol %2u, instance 1): handle %p\n",
	       e->name, (unsigned)e->protocol_id, e->handle);
}

/*
 * Adds (or finds) a next hop of entity e.  The handle comes back with a
 * reference, given back with RtmReleaseNextHops once no longer needed.
 */
static RTM_NEXTHOP_HANDLE add_next_hop(struct entity *e, const char *addr,
				       ULONG ifindex)
{
	RTM_NEXTHOP_HANDLE h = NULL;	/* NULL: add or find, return a handle */
	RTM_NEXTHOP_CHANGE_FLAGS flags;
	RTM_NEXTHOP_INFO nh;

	memset(&nh, 0, sizeof(nh));
	RTM_IPV4_MAKE_NET_ADDRESS(&nh.NextHopAddress, parse_ipv4(addr), 32);
	nh.InterfaceIndex = ifindex;	/* address + interface: the identity */

	check("RtmAddNextHop", RtmAddNextHop(e->handle, &nh, &h, &flags));
	printf("  %-6s next hop %-13s if %lu  handle %p%s\n", e->name, addr,
	       (unsigned long)ifindex, h,
	       flags & RTM_NEXTHOP_CHANGE_NEW ? "" : " (existed)");
	return h;
}

/*
 * Adds the route of entity e to prefix p through next hop nh, or updates
 * it if e already has a route there through the same neighbour.  No route
 * handle is asked for (RouteHandle NULL), so no reference is taken: the
 * route lives in the table until deleted.
 */
static void add_route(struct entity *e, const struct prefix *p,
		      RTM_NEXTHOP_HANDLE nh, ULONG preference, ULONG metric)
{
	/* Input 0: the route is identified by destination, owner, Neighbour. */
	RTM_ROUTE_CHANGE_FLAGS flags = 0;
	RTM_NET_ADDRESS dest;
	RTM_ROUTE_INFO route;	/* by value: room for exactly one next hop */

	RTM_IPV4_MAKE_NET_ADDRESS(&dest, p->addr, p->len);

	memset(&route, 0, sizeof(route));
	route.Neighbour = nh;		/* the peer that told us */
	route.PrefInfo.Preference = preference;
	route.PrefInfo.Metric = metric;
	route.BelongsToViews = RTM_VIEW_MASK_UCAST;
	route.NextHopsList.NumNextHops = 1;
	route.NextHopsList.NextHops[0] = nh;

	check("RtmAddRouteToDest",
	      RtmAddRouteToDest(e->handle, NULL, &dest, &route, INFINITE,
				NULL, 0, NULL, &flags));
	if (flags & RTM_ROUTE_CHANGE_NEW)
		e->routes_new++;
	else
		e->routes_updated++;
}

static void progress(size_t done, size_t total, double secs)
{
	printf("loading: %zu / %zu routes (%.0f%%), %.0f routes/s\n", done,
	       total, 100.0 * done / total, secs > 0 ? done / secs : 0.0);
	fflush(stdout);
}

/* ------------------------------------------------------------------------ */
/* Counting the table with enumerations                                      */
/* ------------------------------------------------------------------------ */

struct dest_counts {
	unsigned long dests;
	unsigned long routes;		/* sum of ViewInfo[0].NumRoutes */
	unsigned long best_bgp;		/* best route owned by "BGP" */
	unsigned long best_static;	/* best route owned by "static" */
};

/*
 * Walks every destination of the unicast view in batches of
 * MaxHandlesInEnum.  Each RTM_DEST_INFO is RTM_SIZE_OF_DEST_INFO(
 * NumberOfViews) bytes, so the batch is an array of bytes, not of
 * RTM_DEST_INFO.  Each batch is given back with RtmReleaseDests, including
 * the last one, which comes with ERROR_NO_MORE_ITEMS.
 */
static void count_dests(RTM_ENTITY_HANDLE h, struct dest_counts *c)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(profile.NumberOfViews);
	char *buf = xcalloc(profile.MaxHandlesInEnum, stride);
	RTM_ENUM_HANDLE en;
	DWORD rc;

	memset(c, 0, sizeof(*c));
	check("RtmCreateDestEnum",
	      RtmCreateDestEnum(h, RTM_VIEW_MASK_UCAST,
				RTM_ENUM_START | RTM_ENUM_ALL_DESTS, NULL,
				RTM_BEST_PROTOCOL, &en));
	do {
		UINT num = profile.MaxHandlesInEnum;

		rc = RtmGetEnumDests(h, en, &num, (PRTM_DEST_INFO)buf);
		if (rc != NO_ERROR && rc != ERROR_NO_MORE_ITEMS)
			check("RtmGetEnumDests", rc);
		for (UINT i = 0; i < num; i++) {
			const RTM_DEST_INFO *d =
				(const RTM_DEST_INFO *)(buf + i * stride);

			c->dests++;
			if (d->NumberOfViews < 1)
				continue;
			/* One view asked for: ViewInfo[0] is the unicast view. */
			c->routes += d->ViewInfo[0].NumRoutes;
			if (d->ViewInfo[0].Owner == bgp_e.handle)
				c->best_bgp++;
			else if (d->ViewInfo[0].Owner == static_e.handle)
				c->best_static++;
		}
		check("RtmReleaseDests",
		      RtmReleaseDests(h, num, (PRTM_DEST_INFO)buf));
	} while (rc == NO_ERROR);
	check("RtmDeleteEnumHandle", RtmDeleteEnumHandle(h, en));
	free(buf);
}

/*
 * Counts the routes of every destination, in every view (RTM_VIEW_MASK_ANY),
 * or only those h owns (RTM_ENUM_OWN_ROUTES).  Route handles come in batches
 * and are given back with RtmReleaseRoutes.
 */
static unsigned long count_routes(RTM_ENTITY_HANDLE h, RTM_ENUM_FLAGS own)
{
	RTM_ROUTE_HANDLE *batch = xcalloc(profile.MaxHandlesInEnum,
					  sizeof(*batch));
	unsigned long total = 0;
	RTM_ENUM_HANDLE en;
	DWORD rc;

	check("RtmCreateRouteEnum",
	      RtmCreateRouteEnum(h, NULL, RTM_VIEW_MASK_ANY,
				 RTM_ENUM_START | own, NULL, RTM_MATCH_NONE,
				 NULL, 0, &en));
	do {
		UINT num = profile.MaxHandlesInEnum;

		rc = RtmGetEnumRoutes(h, en, &num, batch);
		if (rc != NO_ERROR && rc != ERROR_NO_MORE_ITEMS)
			check("RtmGetEnumRoutes", rc);
		total += num;
		check("RtmReleaseRoutes", RtmReleaseRoutes(h, num, batch));
	} while (rc == NO_ERROR);
	check("RtmDeleteEnumHandle", RtmDeleteEnumHandle(h, en));
	free(batch);
	return total;
}

/* ------------------------------------------------------------------------ */
/* Longest-prefix lookups                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Looks addr up as entity h and prints the matching prefix and its best
 * unicast route: owner, preference, metric and next hop.  Every structure
 * filled by RTM holds references and is given back with its release
 * function: RtmReleaseNextHopInfo, RtmReleaseRouteInfo, RtmReleaseDestInfo.
 */
static void lookup(RTM_ENTITY_HANDLE h, ULONG addr, const char *note)
{
	char ip[INET_ADDRSTRLEN], pfx[32], hop[INET_ADDRSTRLEN];
	RTM_DEST_INFO dest;	/* by value: room for one ViewInfo element */
	RTM_NEXTHOP_INFO nh;
	RTM_ROUTE_INFO *route;
	RTM_NET_ADDRESS a;
	ULONG hop_addr;
	UINT hop_len;
	DWORD rc;

	RTM_IPV4_MAKE_NET_ADDRESS(&a, addr, 32);
	printf("  %-15s", ipv4_str(addr, ip));

	/* One view (unicast): DestInfo needs RTM_SIZE_OF_DEST_INFO(1) bytes. */
	rc = RtmGetMostSpecificDestination(h, &a, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_UCAST, &dest);
	if (rc == ERROR_NOT_FOUND) {
		printf(" -> no route (ERROR_NOT_FOUND)%s%s\n",
		       *note ? "  " : "", note);
		return;
	}
	check("RtmGetMostSpecificDestination", rc);
	printf(" -> %-18s", prefix_str(&dest.DestAddress, pfx));
	if (dest.NumberOfViews < 1 || !dest.ViewInfo[0].Route) {
		printf(" no unicast route\n");
		check("RtmReleaseDestInfo", RtmReleaseDestInfo(h, &dest));
		return;
	}

	/* A route info buffer must have room for MaxNextHopsInRoute hops. */
	route = xcalloc(1, RTM_SIZE_OF_ROUTE_INFO(profile.MaxNextHopsInRoute));
	check("RtmGetRouteInfo",
	      RtmGetRouteInfo(h, dest.ViewInfo[0].Route, route, NULL));
	if (route->NextHopsList.NumNextHops < 1)
		die("the best route to %s has no next hop", pfx);
	check("RtmGetNextHopInfo",
	      RtmGetNextHopInfo(h, route->NextHopsList.NextHops[0], &nh));

	RTM_IPV4_GET_ADDR_AND_LEN(hop_addr, hop_len, &nh.NextHopAddress);
	(void)hop_len;
	printf(" best %-6s pref %2lu metric %2lu via %s if %lu (%u route%s)"
	       "%s%s\n", owner_name(dest.ViewInfo[0].Owner),
	       (unsigned long)route->PrefInfo.Preference,
	       (unsigned long)route->PrefInfo.Metric,
	       ipv4_str(hop_addr, hop), (unsigned long)nh.InterfaceIndex,
	       dest.ViewInfo[0].NumRoutes,
	       dest.ViewInfo[0].NumRoutes == 1 ? "" : "s",
	       *note ? "  " : "", note);

	check("RtmReleaseNextHopInfo", RtmReleaseNextHopInfo(h, &nh));
	check("RtmReleaseRouteInfo", RtmReleaseRouteInfo(h, route));
	check("RtmReleaseDestInfo", RtmReleaseDestInfo(h, &dest));
	free(route);
}

/*
 * An address inside a prefix that "static" also covers, and that no
 * longer prefix of the file covers, so that its lookup ends on a
 * destination where the static route is best.  0 if there is none.
 */
static ULONG static_covered_address(const struct prefix *pfx, size_t n)
{
	for (size_t i = 0; i < n; i += STATIC_EVERY) {
		ULONG host, mask;
		size_t j;

		if (pfx[i].len == 0 || pfx[i].len > 30)
			continue;
		host = htonl(ntohl(pfx[i].addr) + 1);	/* first host */
		for (j = 0; j < n; j++) {
			mask = RTM_IPV4_MASK_FROM_LEN(pfx[j].len);
			if (pfx[j].len > pfx[i].len &&
			    (host & mask) == (pfx[j].addr & mask))
				break;
		}
		if (j == n)
			return host;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* main                                                                      */
/* ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	static const char *const peers[NUM_PEERS] = {
		"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4",
	};
	static const struct {
		const char *addr, *note;
	} lookups[] = {
		{ "1.1.1.1",      "Cloudflare DNS" },
		{ "8.8.8.8",      "Google DNS" },
		{ "9.9.9.9",      "Quad9 DNS" },
		{ "193.0.14.129", "k.root-servers.net" },
		{ "203.0.113.7",  "TEST-NET-3, not routed" },
	};
	RTM_NEXTHOP_HANDLE peer_nh[NUM_PEERS], gw_nh;
	unsigned long enum_routes, static_routes;
	struct dest_counts dc;
	struct prefix *pfx;
	size_t n, n_static, i;
	ULONG static_addr;
	double t0, t;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PREFIX-FILE[.gz]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* 1. The prefix table. */
	t0 = now();
	pfx = read_prefixes(argv[1], &n);
	n_static = (n + STATIC_EVERY - 1) / STATIC_EVERY;
	printf("read %zu IPv4 prefixes from %s in %.2f s\n\n", n, argv[1],
	       now() - t0);

	/* 2. Two entities in one process, same table (instance 0, IPv4). */
	register_entity(&bgp_e);
	register_entity(&static_e);
	printf("profile: MaxNextHopsInRoute %u, MaxHandlesInEnum %u, "
	       "views 0x%x (%u)\n\n", profile.MaxNextHopsInRoute,
	       profile.MaxHandlesInEnum, (unsigned)profile.ViewsSupported,
	       profile.NumberOfViews);

	/* 3. Next hops: four BGP peers, one static gateway. */
	for (i = 0; i < NUM_PEERS; i++)
		peer_nh[i] = add_next_hop(&bgp_e, peers[i], (ULONG)i + 1);
	gw_nh = add_next_hop(&static_e, "198.51.100.1", 9);
	printf("\n");

	/* 4. BGP: one route per prefix, through the peer chosen by the AS. */
	printf("BGP adds %zu routes (preference %d)\n", n, PREF_BGP);
	t0 = now();
	for (i = 0; i < n; i++) {
		add_route(&bgp_e, &pfx[i], peer_nh[pfx[i].asn % NUM_PEERS],
			  PREF_BGP, pfx[i].asn % 16);
		if ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == n)
			progress(i + 1, n, now() - t0);
	}
	t = now() - t0;
	/*
	 * A prefix listed twice with origins that pick the same peer is one
	 * route (same destination, owner and Neighbour): the second add
	 * updates it.  The file has one such prefix, 215.0.0.0/16.
	 */
	printf("BGP: %zu adds in %.2f s (%.0f routes/s): %lu new routes, "
	       "%lu update%s of an existing route\n\n", n, t, n / t,
	       bgp_e.routes_new, bgp_e.routes_updated,
	       bgp_e.routes_updated == 1 ? "" : "s");

	/* 5. static: every 100th prefix, preference 1 beats BGP's 20. */
	t0 = now();
	for (i = 0; i < n; i += STATIC_EVERY)
		add_route(&static_e, &pfx[i], gw_nh, PREF_STATIC, 1);
	t = now() - t0;
	printf("static: %zu adds in %.2f s (%.0f routes/s): %lu new routes, "
	       "%lu update%s\n\n", n_static, t, n_static / t,
	       static_e.routes_new, static_e.routes_updated,
	       static_e.routes_updated == 1 ? "" : "s");

	/* 6. Count the table. */
	t0 = now();
	count_dests(bgp_e.handle, &dc);
	printf("destination enumeration: %lu destinations, %lu routes in the "
	       "unicast view, best route BGP %lu / static %lu (%.2f s)\n",
	       dc.dests, dc.routes, dc.best_bgp, dc.best_static, now() - t0);
	t0 = now();
	enum_routes = count_routes(bgp_e.handle, RTM_ENUM_ALL_ROUTES);
	printf("route enumeration: %lu routes (%.2f s)\n", enum_routes,
	       now() - t0);
	t0 = now();
	static_routes = count_routes(static_e.handle, RTM_ENUM_OWN_ROUTES);
	printf("route enumeration of static's own routes: %lu routes "
	       "(%.2f s)\n\n", static_routes, now() - t0);
	if (enum_routes != bgp_e.routes_new + static_e.routes_new ||
	    dc.routes != enum_routes || static_routes != static_e.routes_new)
		die("the enumerations do not match the routes added");

	/* 7. Longest-prefix lookups. */
	static_addr = static_covered_address(pfx, n);
	printf("longest-prefix lookups (best unicast route):\n");
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++)
		lookup(bgp_e.handle, parse_ipv4(lookups[i].addr),
		       lookups[i].note);
	if (static_addr)
		lookup(bgp_e.handle, static_addr, "static also covers it");
	printf("\n");

	/*
	 * 8. Clean up: give back the next-hop handles, then deregister.
	 * Deregistration deletes the entity's routes and next hops.
	 */
	check("RtmReleaseNextHops",
	      RtmReleaseNextHops(static_e.handle, 1, &gw_nh));
	check("RtmReleaseNextHops",
	      RtmReleaseNextHops(bgp_e.handle, NUM_PEERS, peer_nh));

	t0 = now();
	check("RtmDeregisterEntity", RtmDeregisterEntity(static_e.handle));
	printf("deregistered static: %lu routes deleted in %.2f s\n",
	       static_e.routes_new, now() - t0);
	static_e.handle = NULL;
	if (static_addr) {
		printf("after that, BGP's route is the best again:\n");
		lookup(bgp_e.handle, static_addr, "");
	}

	t0 = now();
	check("RtmDeregisterEntity", RtmDeregisterEntity(bgp_e.handle));
	printf("deregistered BGP: %lu routes deleted in %.2f s\n",
	       bgp_e.routes_new, now() - t0);

	free(pfx);
	printf("done\n");
	return 0;
}

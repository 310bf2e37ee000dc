// SPDX-License-Identifier: GPL-2.0
/*
 * lookup.c - longest-prefix lookups (RtmGetMostSpecificDestination) of
 * random addresses for a given time.
 *
 * Every RTM_DEST_INFO a lookup fills holds references (destination, best
 * route, owner), and a registration may hold only so many: lookups go in
 * rounds of LOOKUP_ROUND, each round's results given back with one
 * RtmReleaseDests.  The calls themselves are timed apart from the
 * release, giving the round trip of one lookup; the whole loop gives the
 * rate a client gets, releases included.
 */
#include <stdlib.h>

#include "client.h"

#define LOOKUP_ROUND	64

void lookups_run(struct entity *e, const struct lookups *l, double secs,
		 struct lookup_result *r)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(e->prof.NumberOfViews);
	char *buf = xcalloc(LOOKUP_ROUND, stride);
	uint64_t start, end, t0, call_ns = 0, calls = 0;
	size_t next = 0;
	RTM_NET_ADDRESS a;

	start = now_ns();
	end = start + (uint64_t)(secs * 1e9);
	do {
		UINT found = 0;

		t0 = now_ns();
		for (int i = 0; i < LOOKUP_ROUND; i++) {
			RTM_DEST_INFO *d = (RTM_DEST_INFO *)
				(buf + found * stride);
			DWORD rc;

			entity_addr(e, l->addrs + next * (size_t)e->t->bytes,
				    &a);
			next = (next + 1) % l->n;
			rc = RtmGetMostSpecificDestination(e->h, &a,
							   RTM_BEST_PROTOCOL,
							   RTM_VIEW_MASK_UCAST,
							   d);
			if (rc == NO_ERROR)
				found++;
			else if (rc != ERROR_NOT_FOUND)
				check("RtmGetMostSpecificDestination", rc);
		}
		call_ns += now_ns() - t0;
		calls += LOOKUP_ROUND;
		check("RtmReleaseDests",
		      RtmReleaseDests(e->h, found, (PRTM_DEST_INFO)buf));
		t0 = now_ns();
	} while (t0 < end);
	r->calls = calls;
	r->secs = (double)(t0 - start) / 1e9;
	r->call_secs = (double)call_ns / 1e9;
	free(buf);
}

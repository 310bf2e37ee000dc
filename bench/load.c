// SPDX-License-Identifier: GPL-2.0
/*
 * load.c - an entity adds one route per prefix of its table, or deletes
 * all its routes: one call per route (the RTMv2 API) or RTM_EXT_MAX_BATCH
 * routes per call (the rtm_ext.h batch extension).  Every route is new
 * (the table has no duplicates): anything else is an error.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

double load_single(struct entity *e)
{
	RTM_ROUTE_CHANGE_FLAGS flags;
	RTM_NET_ADDRESS dest;
	RTM_ROUTE_INFO ri;
	double t0;

	entity_route_info(e, &ri);
	t0 = now();
	for (size_t i = 0; i < e->t->n; i++) {
		entity_dest(e, i, &dest);
		flags = 0;
		check("RtmAddRouteToDest",
		      RtmAddRouteToDest(e->h, NULL, &dest, &ri, INFINITE, NULL,
					0, NULL, &flags));
		if (!(flags & RTM_ROUTE_CHANGE_NEW))
			die("RtmAddRouteToDest: route %zu not new", i);
	}
	return now() - t0;
}

/*
 * The entries of one call are built before the clock runs for it: what
 * is timed is what a daemon that keeps its routes in this form pays.
 */
double load_batch(struct entity *e)
{
	RTM_EXT_ADD_ROUTE *ent = xcalloc(RTM_EXT_MAX_BATCH, sizeof(*ent));
	RTM_NET_ADDRESS *dest = xcalloc(RTM_EXT_MAX_BATCH, sizeof(*dest));
	RTM_ROUTE_INFO ri;
	double secs = 0, t0;
	ULONG done;

	entity_route_info(e, &ri);
	for (size_t i = 0; i < e->t->n; i += RTM_EXT_MAX_BATCH) {
		ULONG k, n = (ULONG)(e->t->n - i < RTM_EXT_MAX_BATCH ?
				     e->t->n - i : RTM_EXT_MAX_BATCH);

		memset(ent, 0, n * sizeof(*ent));
		for (k = 0; k < n; k++) {
			entity_dest(e, i + k, &dest[k]);
			ent[k].DestAddress = &dest[k];
			ent[k].RouteInfo = &ri;
			ent[k].TimeToLive = INFINITE;
		}
		t0 = now();
		check("RtmExtAddRoutesToDest",
		      RtmExtAddRoutesToDest(e->h, n, ent, &done));
		secs += now() - t0;
		for (k = 0; k < n; k++) {
			check("RtmExtAddRoutesToDest entry", ent[k].Status);
			if (!(ent[k].ChangeFlags & RTM_ROUTE_CHANGE_NEW))
				die("RtmExtAddRoutesToDest: route %zu not new",
				    i + k);
		}
	}
	free(ent);
	free(dest);
	return secs;
}

/* Each delete consumes the reference the enumeration gave. */
double delete_single(struct entity *e, RTM_ROUTE_HANDLE *rh, size_t n)
{
	RTM_ROUTE_CHANGE_FLAGS flags;
	double t0 = now();

	for (size_t i = 0; i < n; i++)
		check("RtmDeleteRouteToDest",
		      RtmDeleteRouteToDest(e->h, rh[i], &flags));
	return now() - t0;
}

double delete_batch(struct entity *e, RTM_ROUTE_HANDLE *rh, size_t n)
{
	RTM_EXT_DELETE_ROUTE *ent = xcalloc(RTM_EXT_MAX_BATCH, sizeof(*ent));
	double secs = 0, t0;
	ULONG done;

	for (size_t i = 0; i < n; i += RTM_EXT_MAX_BATCH) {
		ULONG k, c = (ULONG)(n - i < RTM_EXT_MAX_BATCH ?
				     n - i : RTM_EXT_MAX_BATCH);

		memset(ent, 0, c * sizeof(*ent));
		for (k = 0; k < c; k++)
			ent[k].RouteHandle = rh[i + k];
		t0 = now();
		check("RtmExtDeleteRoutesToDest",
		      RtmExtDeleteRoutesToDest(e->h, c, ent, &done));
		secs += now() - t0;
		for (k = 0; k < c; k++)
			check("RtmExtDeleteRoutesToDest entry", ent[k].Status);
	}
	free(ent);
	return secs;
}

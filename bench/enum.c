// SPDX-License-Identifier: GPL-2.0
/*
 * enum.c - route enumerations, MaxHandlesInEnum handles at a time: the
 * whole table walked and each batch given back at once (the way a client
 * scans the table without keeping it: two calls per batch), or an
 * entity's own routes gathered with their references (to delete them).
 */
#include <stdlib.h>

#include "client.h"

/*
 * Routes of the table (flags: RTM_ENUM_ALL_ROUTES or _OWN_ROUTES).  keep
 * NULL: each batch is released; otherwise the handles pile up in a new
 * array *keep, one reference each.  Returns how many there were.
 */
static size_t enum_routes(struct entity *e, RTM_ENUM_FLAGS flags,
			  RTM_ROUTE_HANDLE **keep)
{
	UINT max = e->prof.MaxHandlesInEnum;
	size_t n = 0, cap = max;
	RTM_ROUTE_HANDLE *rh = xcalloc(cap, sizeof(*rh));
	RTM_ENUM_HANDLE en;
	DWORD rc;

	check("RtmCreateRouteEnum",
	      RtmCreateRouteEnum(e->h, NULL, RTM_VIEW_MASK_ANY,
				 RTM_ENUM_START | flags, NULL, RTM_MATCH_NONE,
				 NULL, 0, &en));
	do {
		RTM_ROUTE_HANDLE *batch = keep ? rh + n : rh;
		UINT num = max;

		rc = RtmGetEnumRoutes(e->h, en, &num, batch);
		if (rc != ERROR_NO_MORE_ITEMS)
			check("RtmGetEnumRoutes", rc);
		n += num;
		if (!keep)
			check("RtmReleaseRoutes",
			      RtmReleaseRoutes(e->h, num, batch));
		else if (n + max > cap)
			rh = xrealloc(rh, cap *= 2, sizeof(*rh));
	} while (rc == NO_ERROR);
	check("RtmDeleteEnumHandle", RtmDeleteEnumHandle(e->h, en));
	if (keep)
		*keep = rh;
	else
		free(rh);
	return n;
}

double enum_release_all(struct entity *e, size_t *routes)
{
	double t0 = now();

	*routes = enum_routes(e, RTM_ENUM_ALL_ROUTES, NULL);
	return now() - t0;
}

size_t own_routes(struct entity *e, RTM_ROUTE_HANDLE **out)
{
	size_t n = enum_routes(e, RTM_ENUM_OWN_ROUTES, out);

	if (n != e->t->n)
		die("entity %d owns %zu routes, not %zu", e->id, n, e->t->n);
	return n;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * entity.c - one registered entity with one next hop, and the routes and
 * addresses it builds from its prefix table.
 */
#include <string.h>

#include "client.h"

void check(const char *function, DWORD rc)
{
	if (rc != NO_ERROR)
		die("%s failed: Win32 error %lu", function, (unsigned long)rc);
}

void entity_addr(const struct entity *e, const uint8_t *addr,
		 RTM_NET_ADDRESS *a)
{
	memset(a, 0, sizeof(*a));
	a->AddressFamily = (USHORT)e->t->family;
	a->NumBits = (USHORT)(8 * e->t->bytes);
	memcpy(a->AddrBits, addr, (size_t)e->t->bytes);
}

void entity_dest(const struct entity *e, size_t i, RTM_NET_ADDRESS *a)
{
	entity_addr(e, e->t->p[i].addr, a);
	a->NumBits = e->t->p[i].len;
}

void entity_register(struct entity *e, const struct ptable *t,
		     ULONG protocol, int id)
{
	RTM_NEXTHOP_CHANGE_FLAGS flags;
	RTM_ENTITY_INFO info;
	RTM_NEXTHOP_INFO nh;
	uint8_t hop[16];

	memset(e, 0, sizeof(*e));
	e->t = t;
	e->id = id;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = 0;
	info.AddressFamily = (USHORT)t->family;
	info.EntityId.EntityProtocolId = protocol;
	info.EntityId.EntityInstanceId = (ULONG)id;
	check("RtmRegisterEntity",
	      RtmRegisterEntity(&info, NULL, NULL, FALSE, &e->prof, &e->h));

	/* 192.0.2.<id> or 2001:db8::<id>, on interface <id>. */
	memset(hop, 0, sizeof(hop));
	if (t->family == AF_INET) {
		hop[0] = 192, hop[2] = 2, hop[3] = (uint8_t)id;
	} else {
		hop[0] = 0x20, hop[1] = 0x01, hop[2] = 0x0d, hop[3] = 0xb8;
		hop[15] = (uint8_t)id;
	}
	memset(&nh, 0, sizeof(nh));
	entity_addr(e, hop, &nh.NextHopAddress);
	nh.InterfaceIndex = (ULONG)id;
	e->nh = NULL;
	check("RtmAddNextHop", RtmAddNextHop(e->h, &nh, &e->nh, &flags));
}

void entity_route_info(const struct entity *e, RTM_ROUTE_INFO *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->Neighbour = e->nh;
	ri->PrefInfo.Preference = 10 + (ULONG)e->id;
	ri->PrefInfo.Metric = (ULONG)e->id;
	ri->BelongsToViews = RTM_VIEW_MASK_UCAST;
	ri->NextHopsList.NumNextHops = 1;
	ri->NextHopsList.NextHops[0] = e->nh;
}

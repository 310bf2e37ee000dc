/*
 * convert.c - API structures <-> the fixed-size records of <linux/rtm.h>.
 *
 * The kernel never sees an RTMv2 structure (their layout depends on the
 * process's data model, spec part 1, 2.1): every call copies field by
 * field into a zeroed uapi record (so reserved fields are zero) and back.
 * Handles travel as __u64, EntitySpecificInfo as an opaque __u64, times
 * as the FILETIME tick count.
 *
 * Output converters write only what the record says is there: exactly
 * NumNextHops next-hop handles, exactly NumberOfViews ViewInfo elements,
 * because the caller's buffer is sized for that and no more.
 */
#include "internal.h"

DWORD lrtm_addr_in(const struct lrtm_reg *reg, const RTM_NET_ADDRESS *in,
		   struct rtm_addr *out)
{
	unsigned int max_bits = in->AddressFamily == AF_INET6 ? 128 : 32;

	/*
	 * Spec 2.5: the family must be the registration's and NumBits must
	 * fit it.  The kernel checks too; doing it here saves an ioctl.
	 */
	if (in->AddressFamily != reg->info.AddressFamily ||
	    in->NumBits > max_bits)
		return ERROR_INVALID_PARAMETER;
	memset(out, 0, sizeof(*out));
	out->family = in->AddressFamily;
	out->bits = in->NumBits;
	_Static_assert(sizeof(out->addr) == sizeof(in->AddrBits),
		       "address sizes differ");
	memcpy(out->addr, in->AddrBits, sizeof(out->addr));
	return NO_ERROR;
}

void lrtm_addr_out(const struct rtm_addr *in, RTM_NET_ADDRESS *out)
{
	out->AddressFamily = in->family;
	out->NumBits = in->bits;
	memcpy(out->AddrBits, in->addr, sizeof(out->AddrBits));
}

/*
 * The inputs of a next hop: identity (address + interface), Flags and
 * EntitySpecificInfo.  NextHopOwner, State and RemoteNextHop are set by
 * RTM and ignored on input (spec 10.1), so they are sent as zero.  The
 * address is not validated here: callers do it with lrtm_addr_in() first.
 */
void lrtm_nexthop_in(const RTM_NEXTHOP_INFO *in, struct rtm_nexthop_rec *out)
{
	memset(out, 0, sizeof(*out));
	out->addr.family = in->NextHopAddress.AddressFamily;
	out->addr.bits = in->NextHopAddress.NumBits;
	memcpy(out->addr.addr, in->NextHopAddress.AddrBits,
	       sizeof(out->addr.addr));
	out->ifindex = in->InterfaceIndex;
	out->flags = in->Flags;
	out->esi = lrtm_h2u(in->EntitySpecificInfo);
}

void lrtm_nexthop_out(const struct rtm_nexthop_rec *in,
		      RTM_NEXTHOP_INFO *out)
{
	lrtm_addr_out(&in->addr, &out->NextHopAddress);
	out->NextHopOwner = lrtm_u2h(in->owner);
	out->InterfaceIndex = in->ifindex;
	out->State = in->state;
	out->Flags = in->flags;
	out->EntitySpecificInfo = lrtm_u2h(in->esi);
	out->RemoteNextHop = lrtm_u2h(in->remote);
}

DWORD lrtm_route_in(const struct lrtm_reg *reg, const RTM_ROUTE_INFO *in,
		    uint64_t *nh, struct rtm_route_rec *out)
{
	unsigned int i, n = in->NextHopsList.NumNextHops;

	if (n > reg->profile.MaxNextHopsInRoute)
		return ERROR_INVALID_PARAMETER;
	memset(out, 0, sizeof(*out));
	/* DestHandle, RouteOwner and State are set by RTM (spec 7.1). */
	out->neighbour = lrtm_h2u(in->Neighbour);
	out->esi = lrtm_h2u(in->EntitySpecificInfo);
	out->metric = in->PrefInfo.Metric;
	out->preference = in->PrefInfo.Preference;
	out->views = in->BelongsToViews;
	out->flags = in->Flags;
	out->flags1 = in->Flags1;
	for (i = 0; i < n; i++)
		nh[i] = lrtm_h2u(in->NextHopsList.NextHops[i]);
	out->num_nexthops = n;
	out->nexthops = (uint64_t)(uintptr_t)nh;
	return NO_ERROR;
}

void lrtm_route_out(const struct lrtm_reg *reg,
		    const struct rtm_route_rec *in, const uint64_t *nh,
		    RTM_ROUTE_INFO *out)
{
	unsigned int i, n = in->num_nexthops;

	/* Never more than the caller's buffer holds (spec 2.4). */
	if (n > reg->profile.MaxNextHopsInRoute)
		n = reg->profile.MaxNextHopsInRoute;
	out->DestHandle = lrtm_u2h(in->dest);
	out->RouteOwner = lrtm_u2h(in->owner);
	out->Neighbour = lrtm_u2h(in->neighbour);
	out->State = in->state;
	out->Flags1 = in->flags1;
	out->Flags = in->flags;
	out->PrefInfo.Metric = in->metric;
	out->PrefInfo.Preference = in->preference;
	out->BelongsToViews = in->views;
	out->EntitySpecificInfo = lrtm_u2h(in->esi);
	out->NextHopsList.NumNextHops = (USHORT)n;
	for (i = 0; i < n; i++)
		out->NextHopsList.NextHops[i] = lrtm_u2h(nh[i]);
}

void lrtm_dest_out(const struct rtm_dest_rec *in, UINT max_views,
		   RTM_DEST_INFO *out)
{
	unsigned int i, n = in->num_views;

	if (n > RTM_UAPI_VIEWS)
		n = RTM_UAPI_VIEWS;
	if (n > max_views)
		n = max_views;
	out->DestHandle = lrtm_u2h(in->dest);
	lrtm_addr_out(&in->addr, &out->DestAddress);
	out->LastChanged.dwLowDateTime = (DWORD)in->last_changed;
	out->LastChanged.dwHighDateTime = (DWORD)(in->last_changed >> 32);
	out->BelongsToViews = in->belongs;
	out->NumberOfViews = n;
	for (i = 0; i < n; i++) {
		const struct rtm_view_rec *v = &in->views[i];

		out->ViewInfo[i].ViewId = (RTM_VIEW_ID)v->view_id;
		out->ViewInfo[i].NumRoutes = v->num_routes;
		out->ViewInfo[i].Route = lrtm_u2h(v->route);
		out->ViewInfo[i].Owner = lrtm_u2h(v->owner);
		out->ViewInfo[i].DestFlags = v->dest_flags;
		out->ViewInfo[i].HoldRoute = lrtm_u2h(v->hold_route);
	}
}

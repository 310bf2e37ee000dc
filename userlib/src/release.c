/*
 * release.c - giving references back, and taking extra ones.
 *
 * Every Release function of the API reduces to a list of (handle,
 * expected kind) pairs sent with RTM_IOC_RELEASE.  The kernel releases
 * every valid entry and counts the others; the API then answers
 * ERROR_INVALID_HANDLE if any entry was invalid (spec part 1, 3.4: "every
 * valid element is released, invalid elements are skipped").  NULL
 * handles (an absent HoldRoute, Neighbour...) are skipped here and never
 * sent.  Entries go out in chunks of LRTM_RELBUF_CAP (<= RTM_MAX_BATCH),
 * buffered on the stack, so a release never allocates and never fails
 * for lack of memory.
 *
 * Here too: the array forms RtmReleaseEntities, RtmReleaseRoutes,
 * RtmReleaseNextHops, RtmReleaseDests, and RtmReferenceHandles.  The
 * Release...Info functions live beside their Get functions.
 *
 * The in-place route update protocol (spec 8.3, lock.c) changes two of
 * them: while the calling thread holds an exclusive route lock, the
 * next-hop references it takes or gives back are the locked route's, and
 * are not sent.
 */
#include "internal.h"

void lrtm_relbuf_init(struct lrtm_relbuf *b, struct lrtm_reg *reg)
{
	b->reg = reg;
	b->n = 0;
	b->invalid = 0;
	b->err = 0;
}

static void relbuf_flush(struct lrtm_relbuf *b)
{
	struct rtm_handles arg;
	int err;

	if (!b->n)
		return;
	if (!b->err) {
		memset(&arg, 0, sizeof(arg));
		arg.count = b->n;
		arg.refs = (uint64_t)(uintptr_t)b->refs;
		err = lrtm_ioctl(b->reg->fd, RTM_IOC_RELEASE, &arg);
		if (err)
			b->err = err;	/* e.g. EBADFD: stop sending */
		else
			b->invalid += arg.invalid;
	}
	b->n = 0;
}

void lrtm_relbuf_add(struct lrtm_relbuf *b, const void *h, uint32_t type)
{
	struct rtm_handle_ref *r;

	if (!h)
		return;
	if (b->n == LRTM_RELBUF_CAP)
		relbuf_flush(b);
	r = &b->refs[b->n++];
	r->handle = lrtm_h2u(h);
	r->type = type;
	r->reserved = 0;
}

DWORD lrtm_relbuf_finish(struct lrtm_relbuf *b)
{
	relbuf_flush(b);
	if (b->err)
		return lrtm_win32_error(b->err);
	return b->invalid ? ERROR_INVALID_HANDLE : NO_ERROR;
}

DWORD lrtm_release_array(struct lrtm_reg *reg, UINT n, const HANDLE *h,
			 uint32_t type)
{
	struct lrtm_relbuf b;
	UINT i;

	if (!n)
		return NO_ERROR;
	if (!h)
		return ERROR_INVALID_PARAMETER;
	lrtm_relbuf_init(&b, reg);
	for (i = 0; i < n; i++)
		lrtm_relbuf_add(&b, h[i], type);
	return lrtm_relbuf_finish(&b);
}

static DWORD release_handles(RTM_ENTITY_HANDLE RtmRegHandle, UINT n,
			     const HANDLE *h, uint32_t type)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = lrtm_release_array(reg, n, h, type);
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmReleaseEntities(RTM_ENTITY_HANDLE RtmRegHandle,
				UINT NumEntities,
				PRTM_ENTITY_HANDLE EntityHandles)
{
	return release_handles(RtmRegHandle, NumEntities, EntityHandles,
			       RTM_HT_ENTITY);
}

DWORD WINAPI RtmReleaseRoutes(RTM_ENTITY_HANDLE RtmRegHandle,
			      UINT NumRoutes, PRTM_ROUTE_HANDLE RouteHandles)
{
	return release_handles(RtmRegHandle, NumRoutes, RouteHandles,
			       RTM_HT_ROUTE);
}

/*
 * Under an exclusive route lock of this thread, next-hop releases belong
 * to the in-place protocol (spec 8.3 Proposed, lock.c): not sent.
 * Handles that are no next hop still go to the kernel, which refuses
 * them.
 */
DWORD WINAPI RtmReleaseNextHops(RTM_ENTITY_HANDLE RtmRegHandle,
				UINT NumNextHops,
				PRTM_NEXTHOP_HANDLE NextHopHandles)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct lrtm_relbuf b;
	UINT i, booked = 0;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	if (!NumNextHops || !lrtm_lock_books_nexthops(reg)) {
		ret = lrtm_release_array(reg, NumNextHops, NextHopHandles,
					 RTM_HT_NEXTHOP);
		goto out;
	}
	ret = ERROR_INVALID_PARAMETER;
	if (!NextHopHandles)
		goto out;
	lrtm_relbuf_init(&b, reg);
	for (i = 0; i < NumNextHops; i++) {
		if (RTM_HANDLE_TYPE(lrtm_h2u(NextHopHandles[i])) ==
		    RTM_HT_NEXTHOP)
			booked++;
		else
			lrtm_relbuf_add(&b, NextHopHandles[i],
					RTM_HT_NEXTHOP);
	}
	lrtm_lock_book(0, booked);
	ret = lrtm_relbuf_finish(&b);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * Elements sit RTM_SIZE_OF_DEST_INFO(profile.NumberOfViews) bytes apart
 * (spec part 2, 2.4), whatever sizeof(RTM_DEST_INFO) is.  Every element
 * is checked before anything is released: an element claiming more
 * ViewInfo entries than the stride leaves room for is malformed
 * (ERROR_INVALID_PARAMETER, as RtmReleaseRouteInfo does for too many next
 * hops), and releasing half an array before noticing would leave the
 * caller unable to tell what it still holds.
 */
DWORD lrtm_release_dest_array(struct lrtm_reg *reg, UINT n,
			      const RTM_DEST_INFO *infos)
{
	struct lrtm_relbuf b;
	size_t stride;
	UINT i;

	if (!n)
		return NO_ERROR;
	if (!infos)
		return ERROR_INVALID_PARAMETER;
	stride = lrtm_dest_stride(reg);
	for (i = 0; i < n; i++) {
		const RTM_DEST_INFO *d = (const RTM_DEST_INFO *)
			((const char *)infos + i * stride);

		if (d->NumberOfViews > reg->profile.NumberOfViews)
			return ERROR_INVALID_PARAMETER;
	}
	lrtm_relbuf_init(&b, reg);
	for (i = 0; i < n; i++)
		lrtm_dest_info_release(&b, (const RTM_DEST_INFO *)
				       ((const char *)infos + i * stride));
	return lrtm_relbuf_finish(&b);
}

DWORD WINAPI RtmReleaseDests(RTM_ENTITY_HANDLE RtmRegHandle, UINT NumDests,
			     PRTM_DEST_INFO DestInfos)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = lrtm_release_dest_array(reg, NumDests, DestInfos);
	lrtm_reg_put(reg);
	return ret;
}

/*
 * RTM_IOC_REFERENCE is all or nothing per call; an array longer than
 * RTM_MAX_BATCH takes several calls, so a failure in a later chunk gives
 * back what the earlier chunks took, keeping the API's all-or-nothing
 * promise (spec 12.1).  Type 0 asks the kernel to accept any referenced
 * kind (entity, dest, route, next hop) and to reject the others.
 */
static int reference_chunk(struct lrtm_reg *reg, const HANDLE *h, UINT n,
			   unsigned long cmd)
{
	struct rtm_handle_ref refs[LRTM_RELBUF_CAP];
	struct rtm_handles arg;
	UINT i;

	memset(refs, 0, n * sizeof(refs[0]));
	for (i = 0; i < n; i++)
		refs[i].handle = lrtm_h2u(h[i]);
	memset(&arg, 0, sizeof(arg));
	arg.count = n;
	arg.refs = (uint64_t)(uintptr_t)refs;
	return lrtm_ioctl(reg->fd, cmd, &arg);
}

/*
 * Under an exclusive route lock of this thread, next-hop handles are
 * references of the in-place protocol (spec 8.3 Proposed, lock.c): they
 * are left out of what is sent; the others are referenced as usual.
 * Returns the number of handles left in @h (a copy in *@copy if any was
 * left out), or -1 without memory.
 */
static long unbooked(struct lrtm_reg *reg, UINT n, HANDLE *h, HANDLE **copy)
{
	UINT i, k = 0;

	*copy = NULL;
	if (!lrtm_lock_books_nexthops(reg))
		return n;
	for (i = 0; i < n; i++)
		if (RTM_HANDLE_TYPE(lrtm_h2u(h[i])) == RTM_HT_NEXTHOP)
			k++;
	if (!k)
		return n;
	lrtm_lock_book(k, 0);
	if (k == n)
		return 0;
	*copy = malloc((n - k) * sizeof(HANDLE));
	if (!*copy)
		return -1;
	for (i = 0, k = 0; i < n; i++)
		if (RTM_HANDLE_TYPE(lrtm_h2u(h[i])) != RTM_HT_NEXTHOP)
			(*copy)[k++] = h[i];
	return k;
}

DWORD WINAPI RtmReferenceHandles(RTM_ENTITY_HANDLE RtmRegHandle,
				 UINT NumHandles, HANDLE *RtmHandles)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	HANDLE *copy = NULL;
	UINT i, done, n;
	DWORD ret = NO_ERROR;
	long left;
	int err = 0;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	if (!NumHandles)
		goto out;
	ret = ERROR_INVALID_PARAMETER;
	if (!RtmHandles)
		goto out;
	/* A NULL element is invalid (spec 12.1); no need to ask. */
	ret = ERROR_INVALID_HANDLE;
	for (i = 0; i < NumHandles; i++)
		if (!RtmHandles[i])
			goto out;
	left = unbooked(reg, NumHandles, RtmHandles, &copy);
	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (left < 0)
		goto out;
	if (copy)
		RtmHandles = copy;
	NumHandles = (UINT)left;
	for (done = 0; done < NumHandles; done += n) {
		n = NumHandles - done;
		if (n > LRTM_RELBUF_CAP)
			n = LRTM_RELBUF_CAP;
		err = reference_chunk(reg, RtmHandles + done, n,
				      RTM_IOC_REFERENCE);
		if (err)
			break;
	}
	if (err) {
		UINT undone;

		for (undone = 0; undone < done; undone += n) {
			n = done - undone;
			if (n > LRTM_RELBUF_CAP)
				n = LRTM_RELBUF_CAP;
			reference_chunk(reg, RtmHandles + undone, n,
					RTM_IOC_RELEASE);
		}
		ret = lrtm_win32_error(err);
		goto out;
	}
	ret = NO_ERROR;
out:
	free(copy);
	lrtm_reg_put(reg);
	return ret;
}

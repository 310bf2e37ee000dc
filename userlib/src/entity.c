/*
 * entity.c - registration and discovery of entities (spec part 1, 3).
 *
 * A registration is one open file of /dev/rtm.  RtmRegisterEntity opens
 * it, refuses a module of another ABI major version, turns the file into
 * an entity with RTM_IOC_REGISTER and publishes the kernel's entity
 * handle as the RtmRegHandle.  RtmDeregisterEntity ends the registration
 * in the kernel at once (so other entities see RTM_ENTITY_DEREGISTERED
 * when the call returns) and lets the last call still in flight on that
 * handle close the file (registry.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "internal.h"

#define RTM_DEVICE_PATH "/dev/" RTM_DEVICE_NAME

/* Why the device could not be opened, in the API's terms (spec 3.1). */
static DWORD open_error(int err)
{
	switch (err) {
	case ENOENT:		/* no device node: module not loaded */
	case ENODEV:		/* node without a driver behind it */
	case ENXIO:
		return ERROR_FILE_NOT_FOUND;
	case EACCES:		/* not allowed to use RTM at all */
	case EPERM:
		return ERROR_ACCESS_DENIED;
	case EMFILE:		/* one registration = one file */
	case ENFILE:
		return ERROR_NO_SYSTEM_RESOURCES;
	case ENOMEM:
		return ERROR_NOT_ENOUGH_MEMORY;
	default:
		return ERROR_FILE_NOT_FOUND;
	}
}

/*
 * The library sizes buffers and strides from the profile, so a profile
 * it cannot honour is a configuration error (spec 3.1, "module
 * configuration fails validation"), not something to trip over later.
 */
static bool profile_ok(const struct rtm_profile *p)
{
	return p->max_nexthops <= RTM_MAX_BATCH &&
	       p->max_nexthops <= 0xffff &&	/* NumNextHops is a USHORT */
	       p->max_enum <= RTM_MAX_BATCH &&
	       p->num_views <= RTM_UAPI_VIEWS &&
	       p->num_views == (unsigned int)__builtin_popcount(p->views);
}

DWORD WINAPI RtmRegisterEntity(PRTM_ENTITY_INFO RtmEntityInfo,
			       PRTM_ENTITY_EXPORT_METHODS ExportMethods,
			       RTM_EVENT_CALLBACK EventCallback,
			       BOOL ReserveOpaquePointer,
			       PRTM_REGN_PROFILE RtmRegProfile,
			       PRTM_ENTITY_HANDLE RtmRegHandle)
{
	uint64_t methods[RTM_MAX_METHODS];
	struct rtm_version ver;
	struct rtm_register arg;
	struct lrtm_reg *reg;
	UINT i, nm = 0;
	int err;

	/* Forbidden inside entity event callbacks (spec 5.1). */
	if (lrtm_in_entity_event())
		return ERROR_INVALID_PARAMETER;
	if (!RtmEntityInfo || !RtmRegProfile || !RtmRegHandle)
		return ERROR_INVALID_PARAMETER;
	if (RtmEntityInfo->AddressFamily != AF_INET &&
	    RtmEntityInfo->AddressFamily != AF_INET6)
		return ERROR_INVALID_PARAMETER;
	/* NumMethods = 0 is the same as no table at all (spec 3.1). */
	if (ExportMethods && ExportMethods->NumMethods) {
		nm = ExportMethods->NumMethods;
		if (nm > RTM_MAX_METHODS)
			return ERROR_INVALID_DATA;
		for (i = 0; i < nm; i++) {
			if (!ExportMethods->Methods[i])
				return ERROR_INVALID_DATA;
			/* Opaque values for the kernel (spec 2.10 P6). */
			methods[i] = (uint64_t)(uintptr_t)
				     ExportMethods->Methods[i];
		}
	}

	lrtm_registry_init();
	reg = lrtm_reg_alloc();
	if (!reg)
		return ERROR_NOT_ENOUGH_MEMORY;

	err = lrtm_reg_open(reg, RTM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (err) {
		lrtm_reg_discard(reg);
		return open_error(err);
	}

	/*
	 * A module of another major version would misread every record:
	 * refuse it, and say why on stderr (design: "refuse a module
	 * it doesn't match with a clear message"), since the Win32 code
	 * alone cannot tell an operator what to fix.
	 */
	memset(&ver, 0, sizeof(ver));
	err = lrtm_ioctl(reg->fd, RTM_IOC_VERSION, &ver);
	if (err || ver.major != RTM_ABI_MAJOR) {
		if (err)
			fprintf(stderr, "librtm: %s does not answer "
				"RTM_IOC_VERSION (%s)\n", RTM_DEVICE_PATH,
				strerror(err));
		else
			fprintf(stderr, "librtm: the rtm module speaks ABI "
				"%u.%u, this librtm needs %u.x\n", ver.major,
				ver.minor, RTM_ABI_MAJOR);
		lrtm_reg_discard(reg);
		return ERROR_BAD_CONFIGURATION;
	}

	memset(&arg, 0, sizeof(arg));
	arg.instance = RtmEntityInfo->RtmInstanceId;
	arg.family = RtmEntityInfo->AddressFamily;
	arg.flags = (ReserveOpaquePointer ? RTM_REG_RESERVE_OPAQUE : 0) |
		    (EventCallback ? RTM_REG_EVENTS : 0);
	arg.entity_id = RtmEntityInfo->EntityId.EntityId;
	arg.num_methods = nm;
	arg.methods = nm ? (uint64_t)(uintptr_t)methods : 0;
	err = lrtm_ioctl(reg->fd, RTM_IOC_REGISTER, &arg);
	if (err) {
		lrtm_reg_discard(reg);
		return lrtm_win32_error(err);
	}

	/* From here on, closing the fd is what undoes the registration. */
	if (!profile_ok(&arg.profile)) {
		lrtm_reg_discard(reg);
		return ERROR_BAD_CONFIGURATION;
	}
	reg->handle = arg.handle;
	reg->profile.MaxNextHopsInRoute = arg.profile.max_nexthops;
	reg->profile.MaxHandlesInEnum = arg.profile.max_enum;
	reg->profile.ViewsSupported = arg.profile.views;
	reg->profile.NumberOfViews = arg.profile.num_views;
	/* Route shadows hold as many next hops as any route may have. */
	lrtm_shadow_init(&reg->route_shadows,
			 RTM_SIZE_OF_ROUTE_INFO(arg.profile.max_nexthops));
	reg->info.RtmInstanceId = RtmEntityInfo->RtmInstanceId;
	reg->info.AddressFamily = RtmEntityInfo->AddressFamily;
	reg->info.EntityId.EntityId = RtmEntityInfo->EntityId.EntityId;
	reg->reserve_opaque = ReserveOpaquePointer ? TRUE : FALSE;
	reg->callback = EventCallback;
	reg->num_methods = nm;
	for (i = 0; i < nm; i++)
		reg->methods[i] = ExportMethods->Methods[i];

	if (!arg.handle || !lrtm_reg_publish(reg)) {
		/* The kernel broke its handle contract; nothing to name. */
		lrtm_reg_discard(reg);
		return ERROR_NO_SYSTEM_RESOURCES;
	}
	/*
	 * Events (callback) and relayed method calls (exported methods)
	 * come through the event thread.  Polling starts once the handle is
	 * published, so that a callback can use it from its first event.
	 * Failing that, the registration is undone: unpublishing drops the
	 * last pin, which closes the file.
	 */
	if (EventCallback || nm) {
		err = lrtm_event_add(reg);
		if (err) {
			lrtm_reg_unpublish(reg);
			return err == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY
					     : ERROR_NO_SYSTEM_RESOURCES;
		}
	}
	*RtmRegProfile = reg->profile;
	*RtmRegHandle = lrtm_u2h(arg.handle);
	return NO_ERROR;
}

/* No callback of @reg starts any more; a running one is waited for. */
static void callbacks_close(struct lrtm_reg *reg, bool closed)
{
	bool taken = lrtm_cb_lock(reg);

	reg->cb_closed = closed;
	lrtm_cb_unlock(reg, taken);
}

/*
 * Only the first of several concurrent deregistrations of one handle
 * acts; the others get ERROR_INVALID_HANDLE, as if they came after it.
 * Calls racing with it either finish before RTM_IOC_DEREGISTER or get
 * EBADFD (ERROR_INVALID_HANDLE) from the kernel: the fd itself stays open
 * until the last of them has returned.
 *
 * Before the kernel ends the registration, the library stops what runs
 * in the process on its behalf (spec 3.2, 5.1): no callback starts any
 * more and a running one is waited for (unless this is called from
 * inside it); invocations of its methods are refused, blocked invokers
 * are woken with ERROR_INVALID_HANDLE and running invocations on other
 * threads are waited for.  Forbidden inside entity event callbacks.
 */
DWORD WINAPI RtmDeregisterEntity(RTM_ENTITY_HANDLE RtmRegHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	if (lrtm_in_entity_event()) {
		lrtm_reg_put(reg);
		return ERROR_INVALID_PARAMETER;
	}
	if (atomic_exchange(&reg->deregistering, true)) {
		lrtm_reg_put(reg);
		return ERROR_INVALID_HANDLE;
	}
	callbacks_close(reg, true);
	lrtm_methods_close(reg);
	err = lrtm_ioctl(reg->fd, RTM_IOC_DEREGISTER, NULL);
	/*
	 * EBADFD: the kernel no longer knows this file as an entity; the
	 * registration is gone either way, so forget it too.  Any other
	 * failure leaves the registration alive and usable.
	 */
	if (!err || err == EBADFD) {
		lrtm_reg_unpublish(reg);
		lrtm_event_forget(reg);
		ret = err ? ERROR_INVALID_HANDLE : NO_ERROR;
	} else {
		lrtm_methods_reopen(reg);
		callbacks_close(reg, false);
		atomic_store(&reg->deregistering, false);
		ret = lrtm_win32_error(err);
	}
	lrtm_reg_put(reg);
	return ret;
}

/*
 * The kernel reports at most RTM_MAX_BATCH entities per call; a larger
 * caller capacity is only room to spare and is passed down capped, so
 * the scratch arrays stay bounded.
 */
DWORD WINAPI RtmGetRegisteredEntities(RTM_ENTITY_HANDLE RtmRegHandle,
				      PUINT NumEntities,
				      PRTM_ENTITY_HANDLE EntityHandles,
				      PRTM_ENTITY_INFO EntityInfos)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_entity_rec *recs = NULL;
	struct rtm_get_entities arg;
	uint64_t *handles = NULL;
	UINT cap, i;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	/* Forbidden inside entity event callbacks (spec 5.1). */
	if (!NumEntities || lrtm_in_entity_event())
		goto out;
	cap = *NumEntities;
	if (cap > RTM_MAX_BATCH)
		cap = RTM_MAX_BATCH;

	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (cap && EntityHandles) {
		handles = calloc(cap, sizeof(*handles));
		if (!handles)
			goto out;
	}
	if (cap && EntityInfos) {
		recs = calloc(cap, sizeof(*recs));
		if (!recs)
			goto out;
	}

	memset(&arg, 0, sizeof(arg));
	arg.count = cap;
	arg.handles = (uint64_t)(uintptr_t)handles;
	arg.infos = (uint64_t)(uintptr_t)recs;
	err = lrtm_ioctl(reg->fd, RTM_IOC_GET_ENTITIES, &arg);
	if (err == ENOBUFS) {
		/*
		 * Spec 3.3: nothing written, no reference taken, and
		 * *NumEntities tells the capacity needed.
		 */
		*NumEntities = arg.count;
		ret = ERROR_INSUFFICIENT_BUFFER;
		goto out;
	}
	if (err) {
		ret = lrtm_win32_error(err);
		goto out;
	}
	if (arg.count > cap) {
		/* Cannot happen with a sane kernel; never overrun. */
		ret = ERROR_INVALID_PARAMETER;
		goto out;
	}
	for (i = 0; i < arg.count; i++) {
		if (EntityHandles)
			EntityHandles[i] = lrtm_u2h(handles[i]);
		if (EntityInfos) {
			EntityInfos[i].RtmInstanceId = recs[i].instance;
			EntityInfos[i].AddressFamily = recs[i].family;
			EntityInfos[i].EntityId.EntityId = recs[i].entity_id;
		}
	}
	*NumEntities = arg.count;
	ret = NO_ERROR;
out:
	free(handles);
	free(recs);
	lrtm_reg_put(reg);
	return ret;
}

/* No reference is taken: RTM_ENTITY_INFO holds no handle (spec 3.5). */
DWORD WINAPI RtmGetEntityInfo(RTM_ENTITY_HANDLE RtmRegHandle,
			      RTM_ENTITY_HANDLE EntityHandle,
			      PRTM_ENTITY_INFO EntityInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_entity_info arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!EntityInfo)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!EntityHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.handle = lrtm_h2u(EntityHandle);
	err = lrtm_ioctl(reg->fd, RTM_IOC_ENTITY_INFO, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out;
	EntityInfo->RtmInstanceId = arg.info.instance;
	EntityInfo->AddressFamily = arg.info.family;
	EntityInfo->EntityId.EntityId = arg.info.entity_id;
out:
	lrtm_reg_put(reg);
	return ret;
}

/* Nothing was attached to the structure; validate and accept (3.6). */
DWORD WINAPI RtmReleaseEntityInfo(RTM_ENTITY_HANDLE RtmRegHandle,
				  PRTM_ENTITY_INFO EntityInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = EntityInfo ? NO_ERROR : ERROR_INVALID_PARAMETER;
	lrtm_reg_put(reg);
	return ret;
}

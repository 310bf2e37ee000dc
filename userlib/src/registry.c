/*
 * registry.c - the process-local map from RtmRegHandle to registration.
 *
 * The handle a client holds is the kernel's entity handle cast to a
 * pointer; the library needs the fd, profile and callbacks behind it.
 * Lookups are on every API call, so the map is a small hash table whose
 * mutex is held only for the lookup (tens of nanoseconds against the
 * microsecond of an ioctl): a looked-up record is pinned with an atomic
 * counter instead of holding the lock for the length of the ioctl.  (A
 * plain mutex, not a rwlock: the fork handlers must be able to release
 * it in the child, and glibc's rwlock remembers the writer's thread id,
 * which the child does not have.)
 *
 * Life of a record: lrtm_reg_alloc() gives it one pin (the map's);
 * every call pins/unpins it around its ioctl; RtmDeregisterEntity
 * unpublishes it, which drops the map's pin.  Whoever drops the last
 * pin closes the fd and frees the record, so no thread ever uses an fd
 * that was closed or, worse, reused by another open().
 *
 * fork(): a registration belongs to the process that made it (spec part
 * 1, 2.2).  The child handler closes every inherited registration fd
 * (the parent's registrations then still end when the parent dies, as
 * the kernel sees the file's last close) and empties the map, so the
 * parent's handles give ERROR_INVALID_HANDLE in the child.  That includes
 * the files of registrations still being made: they are opened under the
 * map lock and kept on a pending list until published.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"

/* A process rarely has more than a few registrations. */
#define LRTM_BUCKETS 64

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lrtm_reg *buckets[LRTM_BUCKETS];
/*
 * Registrations whose fd is open but which are not published yet (the
 * REGISTER ioctl is in progress): the fork handler must close their fds
 * in the child too.
 */
static struct lrtm_reg *pending;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static unsigned int bucket_of(uint64_t h)
{
	/* Handles differ mostly in their low (slot) bits; mix anyway. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (unsigned int)(h & (LRTM_BUCKETS - 1));
}

static void reg_free(struct lrtm_reg *reg)
{
	if (reg->fd >= 0)
		close(reg->fd);
	lrtm_shadow_destroy(&reg->nexthop_shadows);
	lrtm_shadow_destroy(&reg->route_shadows);
	lrtm_shadow_destroy(&reg->opaque_cells);
	lrtm_methods_free_deferred(reg);
	pthread_cond_destroy(&reg->m_cond);
	pthread_mutex_destroy(&reg->m_lock);
	pthread_mutex_destroy(&reg->cb_lock);
	free(reg);
}

struct lrtm_reg *lrtm_reg_alloc(void)
{
	struct lrtm_reg *reg = calloc(1, sizeof(*reg));

	if (!reg)
		return NULL;
	reg->fd = -1;
	atomic_init(&reg->users, 1);
	atomic_init(&reg->deregistering, false);
	pthread_mutex_init(&reg->cb_lock, NULL);
	pthread_mutex_init(&reg->m_lock, NULL);
	pthread_cond_init(&reg->m_cond, NULL);
	reg->m_deferred_tail = &reg->m_deferred;
	lrtm_shadow_init(&reg->nexthop_shadows, sizeof(RTM_NEXTHOP_INFO));
	lrtm_shadow_init(&reg->opaque_cells, sizeof(struct lrtm_opaque_cell));
	return reg;
}

/* Unlinks @reg from the pending list; map_lock held. */
static void unlink_pending(struct lrtm_reg *reg)
{
	struct lrtm_reg **pp;

	for (pp = &pending; *pp; pp = &(*pp)->next) {
		if (*pp == reg) {
			*pp = reg->next;
			reg->next = NULL;
			return;
		}
	}
}

/*
 * The open() happens under the map lock, so that a fork() from another
 * thread sees the new fd either not at all or on the pending list, never
 * in between: a child never keeps a registration's file open.
 */
int lrtm_reg_open(struct lrtm_reg *reg, const char *path, int flags)
{
	int err = 0;

	pthread_mutex_lock(&map_lock);
	do
		reg->fd = open(path, flags);
	while (reg->fd < 0 && errno == EINTR);
	if (reg->fd < 0) {
		err = errno;
	} else {
		reg->next = pending;
		pending = reg;
	}
	pthread_mutex_unlock(&map_lock);
	return err;
}

void lrtm_reg_discard(struct lrtm_reg *reg)
{
	pthread_mutex_lock(&map_lock);
	unlink_pending(reg);
	pthread_mutex_unlock(&map_lock);
	reg_free(reg);
}

struct lrtm_reg *lrtm_reg_get(const void *h)
{
	uint64_t key = lrtm_h2u(h);
	struct lrtm_reg *reg;

	if (!key)
		return NULL;
	pthread_mutex_lock(&map_lock);
	for (reg = buckets[bucket_of(key)]; reg; reg = reg->next) {
		if (reg->handle == key) {
			atomic_fetch_add_explicit(&reg->users, 1,
						  memory_order_relaxed);
			break;
		}
	}
	pthread_mutex_unlock(&map_lock);
	return reg;
}

void lrtm_reg_put(struct lrtm_reg *reg)
{
	if (atomic_fetch_sub_explicit(&reg->users, 1,
				      memory_order_acq_rel) == 1)
		reg_free(reg);
}

bool lrtm_reg_publish(struct lrtm_reg *reg)
{
	unsigned int b = bucket_of(reg->handle);
	struct lrtm_reg *it;

	pthread_mutex_lock(&map_lock);
	/*
	 * The kernel's handles are unique module-wide (one global handle
	 * space), so a duplicate would be a kernel bug; refuse it rather
	 * than make one handle name two registrations.
	 */
	for (it = buckets[b]; it; it = it->next) {
		if (it->handle == reg->handle) {
			pthread_mutex_unlock(&map_lock);
			return false;
		}
	}
	unlink_pending(reg);
	reg->next = buckets[b];
	buckets[b] = reg;
	pthread_mutex_unlock(&map_lock);
	return true;
}

void lrtm_reg_unpublish(struct lrtm_reg *reg)
{
	struct lrtm_reg **pp;
	bool found = false;

	pthread_mutex_lock(&map_lock);
	for (pp = &buckets[bucket_of(reg->handle)]; *pp; pp = &(*pp)->next) {
		if (*pp == reg) {
			*pp = reg->next;
			reg->next = NULL;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&map_lock);
	if (found)
		lrtm_reg_put(reg);	/* the map's pin */
}

bool lrtm_reg_any(bool (*fn)(struct lrtm_reg *, const void *),
		  const void *arg)
{
	struct lrtm_reg *reg;
	bool hit = false;
	unsigned int b;

	pthread_mutex_lock(&map_lock);
	for (b = 0; b < LRTM_BUCKETS && !hit; b++)
		for (reg = buckets[b]; reg && !hit; reg = reg->next)
			hit = fn(reg, arg);
	pthread_mutex_unlock(&map_lock);
	return hit;
}

/*
 * Holding the map lock across fork() guarantees that the child inherits
 * a consistent map (no thread was half-way through changing it).
 */
static void atfork_prepare(void)
{
	pthread_mutex_lock(&map_lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&map_lock);
}

static void atfork_child(void)
{
	struct lrtm_reg *reg, *next;
	unsigned int b;

	for (b = 0; b < LRTM_BUCKETS; b++) {
		for (reg = buckets[b]; reg; reg = next) {
			next = reg->next;
			reg->next = NULL;
			/*
			 * Close now, whoever else pins the record: the
			 * threads that pinned it do not exist in the child
			 * (a record pinned by them is leaked, never freed
			 * under their feet).
			 */
			if (reg->fd >= 0)
				close(reg->fd);
			reg->fd = -1;
			lrtm_reg_put(reg);
		}
		buckets[b] = NULL;
	}
	/* Their registering threads are gone: close, leak the records. */
	for (reg = pending; reg; reg = reg->next) {
		if (reg->fd >= 0)
			close(reg->fd);
		reg->fd = -1;
	}
	pending = NULL;
	pthread_mutex_unlock(&map_lock);
}

static void registry_init_once(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

void lrtm_registry_init(void)
{
	pthread_once(&init_once, registry_init_once);
}

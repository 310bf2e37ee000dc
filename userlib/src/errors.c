/*
 * errors.c - the one place where kernel errnos become Win32 codes, and
 * the ioctl wrapper every call goes through.
 *
 * The mapping is the table of <linux/rtm.h>, one to one:
 *
 *   ESTALE     ERROR_INVALID_HANDLE       EACCES     ERROR_ACCESS_DENIED
 *   ENOMEM     ERROR_NOT_ENOUGH_MEMORY    EINVAL     ERROR_INVALID_PARAMETER
 *   ENOBUFS    ERROR_INSUFFICIENT_BUFFER  EEXIST     ERROR_ALREADY_EXISTS
 *   ENOENT     ERROR_NOT_FOUND            ENOSPC     ERROR_NO_SYSTEM_RESOURCES
 *   EBADMSG    ERROR_INVALID_DATA         EOPNOTSUPP ERROR_NOT_SUPPORTED
 *   EFAULT     ERROR_INVALID_PARAMETER    EBADFD     ERROR_INVALID_HANDLE
 *
 * plus two library choices:
 *
 *   EBADF      ERROR_INVALID_HANDLE: the registration's fd is gone (only
 *              if the program closed a descriptor it does not own);
 *   ETIMEDOUT  ERROR_TIMEOUT: a relayed method call the callee did not
 *              answer in time (spec part 1, 2.10 P4).
 *
 * EINTR (and ERESTART, should it ever leak out) means the kernel did
 * nothing and the call is simply repeated (spec part 2, section 7: "a
 * failed ioctl because of a signal is retried, not reported").
 *
 * Anything else (ENOTTY for an unknown command or a wrong argument size,
 * EALREADY, ...) can only come from a library/module mismatch that the
 * version check did not catch; it becomes ERROR_INVALID_PARAMETER, the
 * API's generic "this call was malformed".
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "internal.h"

int lrtm_ioctl(int fd, unsigned long cmd, void *arg)
{
	for (;;) {
		if (ioctl(fd, cmd, arg) >= 0)
			return 0;
		if (errno == EINTR)
			continue;
#ifdef ERESTART
		if (errno == ERESTART)
			continue;
#endif
		return errno;
	}
}

DWORD lrtm_win32_error(int err)
{
	switch (err) {
	case 0:
		return NO_ERROR;
	case ESTALE:
	case EBADFD:
	case EBADF:
		return ERROR_INVALID_HANDLE;
	case EACCES:
		return ERROR_ACCESS_DENIED;
	case ENOMEM:
		return ERROR_NOT_ENOUGH_MEMORY;
	case EINVAL:
	case EFAULT:
		return ERROR_INVALID_PARAMETER;
	case ENOBUFS:
		return ERROR_INSUFFICIENT_BUFFER;
	case EEXIST:
		return ERROR_ALREADY_EXISTS;
	case ENOENT:
		return ERROR_NOT_FOUND;
	case ENOSPC:
		return ERROR_NO_SYSTEM_RESOURCES;
	case EBADMSG:
		return ERROR_INVALID_DATA;
	case EOPNOTSUPP:
		return ERROR_NOT_SUPPORTED;
	case ETIMEDOUT:
		return ERROR_TIMEOUT;
	default:
		return ERROR_INVALID_PARAMETER;
	}
}

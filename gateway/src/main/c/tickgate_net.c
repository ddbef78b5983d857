/*
 * The gateway's native functions, for io.tickgate.gateway.session.NativeSocketWriter: send(2) on a connected,
 * non-blocking TCP socket, and the TCP_USER_TIMEOUT option, which the JDK cannot set. The JDK's
 * SocketChannel.write takes the channel's lock and checks its state before calling write(2); this is a plain send(2)
 * and nothing else. See that class for why and when.
 *
 * Built by gateway/pom.xml (profile native-send) with the JNI header javac generates, so a changed Java signature
 * fails the build instead of the first call.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <sys/socket.h>

#include "io_tickgate_gateway_session_NativeSocketWriter.h"

/*
 * Returns the number of bytes the socket took, 0 when it would block, or -errno on any other failure.
 * MSG_NOSIGNAL: a peer that has gone away is an EPIPE returned here, not a SIGPIPE for the whole JVM.
 */
JNIEXPORT jint JNICALL Java_io_tickgate_gateway_session_NativeSocketWriter_send0(
    JNIEnv *env, jclass type, jint fd, jlong address, jint length)
{
    (void)env;
    (void)type;
    for (;;)
    {
        const ssize_t sent = send(fd, (const void *)(intptr_t)address, (size_t)length, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent >= 0)
        {
            return (jint)sent;
        }
        if (EINTR != errno)
        {
            return EAGAIN == errno || EWOULDBLOCK == errno ? 0 : -errno;
        }
    }
}

/*
 * Sets TCP_USER_TIMEOUT: the kernel drops the connection once written bytes have waited this long for an
 * acknowledgement, or for the peer's window to open. Returns 0, or -errno.
 */
JNIEXPORT jint JNICALL Java_io_tickgate_gateway_session_NativeSocketWriter_setUserTimeout0(
    JNIEnv *env, jclass type, jint fd, jint timeoutMs)
{
    (void)env;
    (void)type;
    const unsigned int value = (unsigned int)timeoutMs;
    return 0 == setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &value, sizeof(value)) ? 0 : -errno;
}

/**
 * The {@code tcp} transport plugin ({@link io.dynamo.transport.tcp.TcpPlugin}): length-prefixed
 * frames over Netty with pooled connections, timeouts, reconnect back-off, graceful shutdown,
 * optional authentication by secrets that decide each caller's role and TLS, back-pressure and
 * resource limits.
 */
package io.dynamo.transport.tcp;

/**
 * The {@code tcp} transport plugin ({@link io.dynamo.transport.tcp.TcpPlugin}): length-prefixed
 * frames over Netty with pooled connections, timeouts, reconnect back-off, graceful shutdown,
 * and optional cluster-secret authentication and TLS.
 */
package io.dynamo.transport.tcp;

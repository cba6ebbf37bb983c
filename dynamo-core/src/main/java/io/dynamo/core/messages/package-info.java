/**
 * The core's wire protocol: the {@link io.dynamo.core.messages.Message} types nodes and clients
 * exchange and their strict binary encoding, {@link io.dynamo.core.messages.MessageCodec}.
 */
package io.dynamo.core.messages;

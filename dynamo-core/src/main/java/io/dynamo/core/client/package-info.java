/** The Java client library: {@link io.dynamo.core.client.DynamoClient}. */
package io.dynamo.core.client;

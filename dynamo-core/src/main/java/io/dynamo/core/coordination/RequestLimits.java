package io.dynamo.core.coordination;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;

/**
 * The largest key and value the store accepts, checked by the coordinator (and by the client
 * before it sends) with {@link InvalidArgumentException}. Every version is held in memory
 * while it is replicated, so the limits bound what one request can cost a node.
 *
 * @param maxKeySize bytes in a key ({@code replication.max-key-size}, default 1 KiB)
 * @param maxValueSize bytes in a value ({@code replication.max-value-size}, default 1 MiB)
 */
public record RequestLimits(int maxKeySize, int maxValueSize) {
    public static final String MAX_KEY_SIZE = "max-key-size";
    public static final String MAX_VALUE_SIZE = "max-value-size";
    public static final RequestLimits DEFAULT = new RequestLimits(1024, 1 << 20);
    /** Frames of every transport must carry a value of the largest size; keep well below 2 GiB. */
    public static final int MAX_LIMIT = 64 << 20;

    public RequestLimits {
        if (maxKeySize < 1 || maxKeySize > MAX_LIMIT) {
            throw new InvalidArgumentException("maxKeySize must be in [1, " + MAX_LIMIT + "]: " + maxKeySize);
        }
        if (maxValueSize < 0 || maxValueSize > MAX_LIMIT) {
            throw new InvalidArgumentException("maxValueSize must be in [0, " + MAX_LIMIT + "]: " + maxValueSize);
        }
    }

    /** The limits from the {@code replication} section of a node config. */
    public static RequestLimits from(PluginConfig replication) {
        long key = replication.getSize(MAX_KEY_SIZE, DEFAULT.maxKeySize());
        long value = replication.getSize(MAX_VALUE_SIZE, DEFAULT.maxValueSize());
        if (key < 1 || key > MAX_LIMIT) {
            throw new ConfigException(replication.fullKey(MAX_KEY_SIZE), key + " is not between 1 and " + MAX_LIMIT);
        }
        if (value > MAX_LIMIT) {
            throw new ConfigException(replication.fullKey(MAX_VALUE_SIZE), value + " is more than " + MAX_LIMIT);
        }
        return new RequestLimits((int) key, (int) value);
    }

    public void checkKey(Bytes key) {
        if (key == null) {
            throw new InvalidArgumentException("key is null");
        }
        if (key.length() == 0) {
            throw new InvalidArgumentException("key is empty");
        }
        if (key.length() > maxKeySize) {
            throw new InvalidArgumentException("key of " + key.length() + " bytes is over the limit of " + maxKeySize
                    + " (replication." + MAX_KEY_SIZE + ")");
        }
    }

    public void checkValue(Bytes value) {
        if (value == null) {
            throw new InvalidArgumentException("value is null");
        }
        if (value.length() > maxValueSize) {
            throw new InvalidArgumentException("value of " + value.length() + " bytes is over the limit of "
                    + maxValueSize + " (replication." + MAX_VALUE_SIZE + ")");
        }
    }
}

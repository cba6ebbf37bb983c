package io.dynamo.core.coordination;

import io.dynamo.api.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs keys that hold many versions, at most once per key every {@link #INTERVAL_MILLIS}, so a
 * hot key written concurrently by many clients makes one line, not one per write. Remembers
 * the last {@link #REMEMBERED} keys warned about. Thread-safe.
 */
final class SiblingWarnings {
    private static final Logger log = LoggerFactory.getLogger(SiblingWarnings.class);
    static final long INTERVAL_MILLIS = 600_000;
    private static final int REMEMBERED = 1024;

    private final String self;
    private final VersionLimits limits;
    private final Map<Bytes, Long> warnedAt = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, Long> eldest) {
            return size() > REMEMBERED;
        }
    }; // guarded by itself

    SiblingWarnings(String self, VersionLimits limits) {
        this.self = self;
        this.limits = limits;
    }

    /** Notes that {@code key} now holds {@code versions} versions; true when that was logged. */
    boolean check(Bytes key, int versions, long nowMillis) {
        if (versions < limits.siblingWarn()) {
            return false;
        }
        synchronized (warnedAt) {
            Long last = warnedAt.get(key);
            if (last != null && nowMillis - last < INTERVAL_MILLIS) {
                return false;
            }
            warnedAt.put(key, nowMillis);
        }
        log.warn("{}: key {} has {} versions (siblings), at least replication.{}={}: clients write it concurrently "
                + "without resolving; read it and write with its context to merge them. Writes adding a version "
                + "beyond replication.{}={} are refused. (Logged at most once per key every {} min.)", self, key, versions,
                VersionLimits.SIBLING_WARN, limits.siblingWarn(), VersionLimits.MAX_SIBLINGS, limits.maxSiblings(),
                INTERVAL_MILLIS / 60_000);
        return true;
    }
}

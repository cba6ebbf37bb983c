package io.dynamo.server;

import com.google.inject.AbstractModule;
import com.google.inject.matcher.Matchers;
import com.google.inject.spi.ProvisionListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers every {@link AutoCloseable} the node's injector makes (transport, scheduler, storage
 * engine, the node), so that a start that fails part-way closes what it opened, newest first,
 * and the next start finds the data files closed cleanly. Closing twice is harmless: every
 * product's close is idempotent.
 */
final class OpenedOnStart extends AbstractModule implements ProvisionListener {
    private static final Logger log = LoggerFactory.getLogger(OpenedOnStart.class);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected void configure() {
        bindListener(Matchers.any(), this);
    }

    @Override
    public synchronized <T> void onProvision(ProvisionInvocation<T> provision) {
        T made = provision.provision();
        if (made instanceof AutoCloseable closeable) {
            opened.add(closeable);
        }
    }

    /** Closes everything made so far, newest first; a failure to close is added to {@code failure}. */
    synchronized void closeAll(Throwable failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            AutoCloseable closeable = opened.get(i);
            try {
                closeable.close();
            } catch (Exception | Error e) {
                log.debug("closing {} after a failed start failed", closeable, e);
                failure.addSuppressed(e);
            }
        }
        opened.clear();
    }
}

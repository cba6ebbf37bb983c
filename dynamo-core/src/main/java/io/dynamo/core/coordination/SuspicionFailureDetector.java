package io.dynamo.core.coordination;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The simplest useful failure detector: a node is suspected from its first failed request until
 * it answers again (a successful request, or a ping from hinted handoff). No timing model; a
 * single lost message suspects a node for one handoff interval at most.
 */
public final class SuspicionFailureDetector implements FailureDetector {
    private final ConcurrentSkipListSet<String> suspected = new ConcurrentSkipListSet<>();

    @Override
    public boolean isAvailable(String nodeId) {
        return !suspected.contains(nodeId);
    }

    @Override
    public void reportFailure(String nodeId) {
        suspected.add(nodeId);
    }

    @Override
    public void reportSuccess(String nodeId) {
        suspected.remove(nodeId);
    }

    @Override
    public Set<String> suspects() {
        SortedSet<String> copy = new TreeSet<>(suspected);
        return Collections.unmodifiableSortedSet(copy);
    }

    @Override
    public String toString() {
        return "suspected " + suspected;
    }
}

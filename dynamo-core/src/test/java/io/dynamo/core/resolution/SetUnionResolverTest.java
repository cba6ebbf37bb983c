package io.dynamo.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.tck.ConflictResolverContractTest;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SetUnionResolverTest extends ConflictResolverContractTest {
    private static final Bytes KEY = Bytes.utf8("cart");
    private static final VectorClock BASE = VectorClock.EMPTY.increment("a", 1_000);

    /** Every byte string is a value to it. */
    @Override
    protected Optional<Bytes> unparseableValue(Random random) {
        return Optional.empty();
    }

    @Override
    protected ConflictResolver createResolver() {
        return new SetUnionResolverFactory().create(PluginConfig.empty("set-union"), null);
    }

    private static Versioned cart(String node, String lines) {
        return Versioned.of(BASE.increment(node, 2_000), Bytes.utf8(lines));
    }

    @Test
    void siblingsMergeIntoTheSortedUnionOfTheirLines() {
        Versioned left = cart("b", "milk\neggs");
        Versioned right = cart("c", "bread\nmilk\n");
        List<Versioned> result = resolver().resolve(KEY, List.of(left, right));
        assertEquals(List.of(Versioned.of(left.clock().merge(right.clock()), Bytes.utf8("bread\neggs\nmilk"))), result);
    }

    @Test
    void emptyLinesAreIgnored() {
        List<Versioned> result = resolver().resolve(KEY, List.of(cart("b", "\n\nmilk\n\n"), cart("c", "")));
        assertEquals(Bytes.utf8("milk"), result.get(0).value());
    }

    @Test
    void linesAreComparedAsBytesNotDecodedText() {
        Bytes invalidUtf8 = Bytes.of(new byte[] {(byte) 0xC3, '\n', (byte) 0xFF});
        Versioned odd = Versioned.of(BASE.increment("b", 2_000), invalidUtf8);
        Versioned plain = cart("c", "a");
        assertEquals(Bytes.of(new byte[] {'a', '\n', (byte) 0xC3, '\n', (byte) 0xFF}),
                resolver().resolve(KEY, List.of(odd, plain)).get(0).value());
    }

    @Test
    void anAddConcurrentWithADeleteWins() {
        Versioned deleted = Versioned.tombstone(BASE.increment("b", 3_000));
        Versioned added = cart("c", "socks");
        Versioned result = resolver().resolve(KEY, List.of(deleted, added)).get(0);
        assertEquals(Versioned.of(deleted.clock().merge(added.clock()), Bytes.utf8("socks")), result);
    }

    @Test
    void onlyDeletesGiveOneTombstone() {
        Versioned one = Versioned.tombstone(BASE.increment("b", 3_000));
        Versioned two = Versioned.tombstone(BASE.increment("c", 3_000));
        assertEquals(List.of(Versioned.tombstone(one.clock().merge(two.clock()))), resolver().resolve(KEY, List.of(one, two)));
    }

    @Test
    void anItemRemovedLaterDoesNotComeBackFromTheVersionItReplaced() {
        Versioned before = cart("b", "milk\nsocks");
        Versioned after = Versioned.of(before.clock().increment("b", 4_000), Bytes.utf8("milk"));
        Versioned sibling = cart("c", "bread");
        Versioned result = resolver().resolve(KEY, List.of(before, after, sibling)).get(0);
        assertEquals(Bytes.utf8("bread\nmilk"), result.value());
    }

    @Test
    void factoryIsNamedSetUnion() {
        assertEquals("set-union", new SetUnionResolverFactory().name());
    }
}

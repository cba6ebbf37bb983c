package io.dynamo.core;

import io.dynamo.core.causality.BuiltinSchemes;
import io.dynamo.core.resolution.LastWriteWinsResolverFactory;
import io.dynamo.core.resolution.SetUnionResolverFactory;
import io.dynamo.core.resolution.VectorClockResolverFactory;
import io.dynamo.core.storage.MemoryStorageEngineFactory;
import io.dynamo.core.transport.local.LocalTransportFactory;
import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.causality.CausalitySchemeFactory;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import io.dynamo.spi.storage.StorageEngineFactory;
import io.dynamo.spi.transport.TransportFactory;
import java.util.List;

/**
 * What dynamo-core contributes itself, found by {@link java.util.ServiceLoader} like any
 * third-party plugin: the {@code memory} storage engine, the in-process {@code local} transport,
 * the {@code vector-clock}, {@code lww} and {@code set-union} conflict resolvers, and the
 * {@code vector-clock}, {@code dvv} and {@code plain-vector-clock} causality schemes.
 */
public final class BuiltinPlugin implements DynamoPlugin {
    @Override
    public List<StorageEngineFactory> storageEngines() {
        return List.of(new MemoryStorageEngineFactory());
    }

    @Override
    public List<ConflictResolverFactory> conflictResolvers() {
        return List.of(new VectorClockResolverFactory(), new LastWriteWinsResolverFactory(), new SetUnionResolverFactory());
    }

    @Override
    public List<CausalitySchemeFactory> causalitySchemes() {
        return BuiltinSchemes.factories();
    }

    /** One factory per plugin load: its nodes share one in-process network. */
    @Override
    public List<TransportFactory> transports() {
        return List.of(new LocalTransportFactory());
    }
}

package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.Versioned;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The key-value commands: {@code put}, {@code get}, {@code delete}. Keys and values are UTF-8 text. */
final class KeyValueCommands {
    private KeyValueCommands() {}

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = {"Write VALUE under KEY and print the context of the new version.",
                    "Pass the context of your last read with --context so the write supersedes what you read;"
                            + " without it the write is concurrent with any existing version (a sibling)."})
    static final class Put implements Callable<Integer> {
        private final StoreOpener opener;

        @Spec CommandSpec spec;
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value (UTF-8 text).")
        String value;

        @Option(names = "--context", paramLabel = "CONTEXT", defaultValue = "",
                description = "The context printed by `get` (default: none, a blind write).")
        String context;

        Put(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            Context previous = Context.decode(context);
            try (DynamoStore store = client.open(opener)) {
                Context written = store.put(Bytes.utf8(key), Bytes.utf8(value), previous, client.requestOptions());
                PrintWriter out = spec.commandLine().getOut();
                out.println("context: " + written.encode());
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Read KEY: print every sibling (one line each) and the context to pass to the next put or delete.",
                    "Several values mean concurrent writes: reconcile them and put the result with the printed context."})
    static final class Get implements Callable<Integer> {
        private final StoreOpener opener;

        @Spec CommandSpec spec;
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
        String key;

        Get(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            try (DynamoStore store = client.open(opener)) {
                ReadResult result = store.get(Bytes.utf8(key), client.requestOptions());
                print(result, spec.commandLine().getOut());
            }
            return 0;
        }

        static void print(ReadResult result, PrintWriter out) {
            List<Versioned> versions = result.versions();
            if (!result.found()) {
                out.println(versions.isEmpty() ? "not found" : "not found (deleted)");
            } else if (versions.size() == 1) {
                out.println("value: " + render(versions.get(0)));
            } else {
                for (int i = 0; i < versions.size(); i++) {
                    out.println("value " + (i + 1) + " of " + versions.size() + ": " + render(versions.get(i)));
                }
            }
            if (!versions.isEmpty()) {
                out.println("context: " + result.context().encode());
            }
            out.flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete KEY: write a tombstone superseding the versions the context covers.",
                    "Take the context from `get KEY`; a delete with an older context leaves newer writes alive."})
    static final class Delete implements Callable<Integer> {
        private final StoreOpener opener;

        @Spec CommandSpec spec;
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
        String key;

        @Option(names = "--context", paramLabel = "CONTEXT", required = true,
                description = "The context printed by `get KEY`.")
        String context;

        Delete(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            Context previous = Context.decode(context);
            try (DynamoStore store = client.open(opener)) {
                Context written = store.delete(Bytes.utf8(key), previous, client.requestOptions());
                PrintWriter out = spec.commandLine().getOut();
                out.println("deleted");
                out.println("context: " + written.encode());
                out.flush();
            }
            return 0;
        }
    }

    /** A value as text when it is printable UTF-8, else as 0x-prefixed hex. */
    static String render(Versioned version) {
        if (version.tombstone()) {
            return "(deleted)";
        }
        Bytes value = version.value();
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.toByteArray()))
                    .toString();
            if (text.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\t')) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // not text
        }
        return "0x" + value.toHex();
    }
}

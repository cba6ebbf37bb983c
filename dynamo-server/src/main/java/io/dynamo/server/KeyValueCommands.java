package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Condition;
import io.dynamo.api.ConflictException;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.Versioned;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.coordination.RequestLimits;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The key-value commands: {@code put}, {@code get}, {@code delete}. Keys are UTF-8 text; values are
 * UTF-8 text on the command line, any bytes from {@code put --value-file}.
 */
final class KeyValueCommands {
    private KeyValueCommands() {}

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = {"Write VALUE under KEY and print the context of the new version.",
                    "Pass the context of your last read with --context so the write supersedes what you read;"
                            + " without it the write is concurrent with any existing version (a sibling).",
                    "A large or binary value comes from a file with --value-file FILE, or from standard input with"
                            + " --value-file -."})
    static final class Put implements Callable<Integer> {
        /** The client refuses larger values before sending (the nodes' default {@code replication.max-value-size}). */
        static final int MAX_VALUE_SIZE = RequestLimits.DEFAULT.maxValueSize();
        static final String STDIN = "-";

        private final StoreOpener opener;
        private final Supplier<InputStream> stdin;

        @Spec CommandSpec spec;
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1",
                description = "The value (UTF-8 text); or give --value-file.")
        String value;

        @Option(names = "--value-file", paramLabel = "FILE",
                description = "Read the value from FILE, byte for byte; - reads standard input to its end."
                        + " At most 1 MiB, the default replication.max-value-size.")
        String valueFile;

        @Option(names = "--context", paramLabel = "CONTEXT", defaultValue = "",
                description = "The context printed by `get` (default: none, a blind write).")
        String context;

        @Option(names = "--pw", paramLabel = "PW", defaultValue = "0",
                description = "Primary replicas (not stand-ins) that must acknowledge; 0 keeps the cluster's"
                        + " replication.pw.")
        int pw;

        @Option(names = "--if-unmodified",
                description = "Write only if the key has no version the context does not cover (with no --context:"
                        + " only if the key is absent); else print the current versions and their context, exit 3.")
        boolean ifUnmodified;

        Put(StoreOpener opener, Supplier<InputStream> stdin) {
            this.opener = requireNonNull(opener, "opener is null");
            this.stdin = requireNonNull(stdin, "stdin is null");
        }

        @Override
        public Integer call() {
            if ((value == null) == (valueFile == null)) {
                throw new ParameterException(spec.commandLine(), value == null
                        ? "Missing the value: give VALUE, or --value-file FILE (- for standard input)"
                        : "give the value as VALUE or with --value-file, not both");
            }
            Context previous = Context.decode(context);
            Bytes bytes = value != null ? Bytes.utf8(value) : readValue();
            try (DynamoClient connection = client.open(opener)) {
                DynamoStore store = client.store(connection);
                Context written = store.put(Bytes.utf8(key), bytes, previous,
                        client.writeOptions(pw, ifUnmodified));
                PrintWriter out = spec.commandLine().getOut();
                out.println("context: " + written.encode());
                out.flush();
            } catch (ConflictException conflict) {
                return conflicted(spec, conflict);
            }
            return 0;
        }

        /** The value of --value-file, read up to one byte past the limit so that a huge input is never held. */
        private Bytes readValue() {
            String source = STDIN.equals(valueFile) ? "- (standard input)" : valueFile;
            byte[] bytes;
            try (InputStream in = STDIN.equals(valueFile) ? nonClosing(stdin.get()) : Files.newInputStream(Path.of(valueFile))) {
                bytes = in.readNBytes(MAX_VALUE_SIZE + 1);
            } catch (IOException | InvalidPathException e) {
                throw new InvalidArgumentException("--value-file " + source + ": cannot read it: " + e);
            }
            if (bytes.length > MAX_VALUE_SIZE) {
                throw new InvalidArgumentException("--value-file " + source + ": the value is over the limit of "
                        + MAX_VALUE_SIZE + " bytes (replication.max-value-size)");
            }
            return Bytes.wrapOwned(bytes);
        }

        private static InputStream nonClosing(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public void close() {
                    // standard input belongs to the process
                }
            };
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

        @Option(names = "--pr", paramLabel = "PR", defaultValue = "0",
                description = "Primary replicas (not stand-ins) that must answer; 0 keeps the cluster's replication.pr.")
        int pr;

        Get(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            try (DynamoClient connection = client.open(opener)) {
                DynamoStore store = client.store(connection);
                ReadResult result = store.get(Bytes.utf8(key), client.requestOptions().withPrimaries(
                        ClientOptions.primaries("--pr", pr)));
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

        @Option(names = "--pw", paramLabel = "PW", defaultValue = "0",
                description = "Primary replicas (not stand-ins) that must acknowledge; 0 keeps the cluster's"
                        + " replication.pw.")
        int pw;

        @Option(names = "--if-unmodified",
                description = "Delete only if the key has no version the context does not cover; else print the"
                        + " current versions and their context, exit 3.")
        boolean ifUnmodified;

        Delete(StoreOpener opener) {
            this.opener = requireNonNull(opener, "opener is null");
        }

        @Override
        public Integer call() {
            Context previous = Context.decode(context);
            try (DynamoClient connection = client.open(opener)) {
                DynamoStore store = client.store(connection);
                Context written = store.delete(Bytes.utf8(key), previous, client.writeOptions(pw, ifUnmodified));
                PrintWriter out = spec.commandLine().getOut();
                out.println("deleted");
                out.println("context: " + written.encode());
                out.flush();
            } catch (ConflictException conflict) {
                return conflicted(spec, conflict);
            }
            return 0;
        }
    }

    /** Exit status of a conditional write refused because the key changed. */
    static final int CONFLICT = 3;

    /** A refused conditional write: the reason on standard error, the current versions as `get` prints them. */
    private static int conflicted(CommandSpec spec, ConflictException conflict) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("dynamo " + spec.name() + ": conflict: " + conflict.getMessage());
        err.flush();
        Get.print(conflict.current(), spec.commandLine().getOut());
        return CONFLICT;
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

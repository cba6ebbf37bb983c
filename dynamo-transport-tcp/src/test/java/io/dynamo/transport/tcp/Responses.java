package io.dynamo.transport.tcp;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on response futures in tests. */
final class Responses {
    private Responses() {}

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String await(CompletableFuture<byte[]> response) throws Exception {
        return new String(response.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    static Throwable failureOf(CompletableFuture<byte[]> response) throws InterruptedException {
        try {
            byte[] answer = response.get(10, TimeUnit.SECONDS);
            return fail("expected a failure, got \"" + new String(answer, StandardCharsets.UTF_8) + "\"");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return fail("the future neither completed nor failed within 10 s");
        }
    }
}

package io.dynamo.server;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by the build), or "development" when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = DynamoCli.class.getPackage().getImplementationVersion();
        return new String[] {"dynamo " + (version == null ? "development build" : version)};
    }
}

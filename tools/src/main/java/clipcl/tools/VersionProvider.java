package clipcl.tools;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** `clipcl --version`: the project version the build wrote into clipcl-version.properties. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/clipcl-version.properties")) {
            if (in != null) p.load(in);
        }
        return new String[] {"clipcl " + p.getProperty("version", "(version unknown: not built by Maven)")};
    }
}

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A real single-node OpenSearch server for development and tests, built from the Maven Central jars.
 *
 * The distribution's bootstrap is skipped on purpose: it refuses to run as root (CI runs as root)
 * and needs a packaged layout. The node itself, its HTTP layer and analysis modules are the real ones.
 *
 * Usage: java -cp 'lib/*' OpenSearchNode.java HOME_DIR [HTTP_PORT [SETTING=VALUE...]]
 * (the extra settings make a cluster node: scripts/harness/cluster.py)
 */
public class OpenSearchNode {
    /** Exposes Node's protected constructor, which accepts plugins found on the class path. */
    static class ClasspathNode extends Node {
        ClasspathNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        String port = args.length > 1 ? args[1] : "9200";
        Files.createDirectories(home.resolve("config"));
        Settings.Builder builder = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "anxin-dev")
            .put("node.name", "anxin-dev-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "0")
            .put("discovery.type", "single-node")
            .put("bootstrap.memory_lock", false)
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", true);
        for (int i = 2; i < args.length; i++) {
            String[] setting = args[i].split("=", 2);
            builder.put(setting[0], setting[1]);
        }
        Settings settings = builder.build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), home.resolve("config"), () -> "anxin-dev-node");
        Node node = new ClasspathNode(environment, List.of(
            Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class,
            MapperExtrasPlugin.class, ReindexPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        node.start();
        System.out.println("OpenSearch node started on http://127.0.0.1:" + port);
        stopped.await();
    }
}

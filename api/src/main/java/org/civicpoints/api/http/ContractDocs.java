package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The contract itself at /openapi.yaml and Swagger UI (from its webjar) at /docs. */
final class ContractDocs {

  private static final String SWAGGER_UI_POM =
      "META-INF/maven/org.webjars/swagger-ui/pom.properties";

  private ContractDocs() {}

  static void mount(Router router, Contract contract) {
    router
        .get("/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .end(contract.yaml()));
    // Vert.x treats "/docs" and "/docs/" alike; the page links its assets absolutely.
    Buffer index = resource("docs/index.html");
    Handler<RoutingContext> page =
        ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(index);
    router.get("/docs").handler(page);
    router.get("/docs/index.html").handler(page);
    router
        .get("/docs/*")
        .handler(
            StaticHandler.create("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion()));
  }

  private static Buffer resource(String name) {
    try (InputStream in = ContractDocs.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }

  private static String swaggerUiVersion() {
    try (InputStream in = ContractDocs.class.getClassLoader().getResourceAsStream(SWAGGER_UI_POM)) {
      if (in == null) {
        throw new IllegalStateException("The swagger-ui webjar is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + SWAGGER_UI_POM, e);
    }
  }
}

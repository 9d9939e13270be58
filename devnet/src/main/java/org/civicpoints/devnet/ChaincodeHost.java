package org.civicpoints.devnet;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.contract.metadata.MetadataBuilder;
import org.hyperledger.fabric.contract.routing.RoutingRegistry;
import org.hyperledger.fabric.contract.routing.TypeRegistry;

/**
 * Hosts every {@code @Contract} class on the classpath through the shim's own {@link
 * ContractRouter}, so contracts run exactly as under a peer. The router's classpath scan takes
 * seconds and its type registry is a JVM-wide singleton, so one router is built lazily and shared
 * by all devnets in the JVM.
 */
final class ChaincodeHost {

  private static ContractRouter router;

  /** JUL holds loggers weakly; a quieted logger must stay referenced or its level is forgotten. */
  private static final List<Logger> QUIETED = new ArrayList<>();

  private ChaincodeHost() {}

  static synchronized ContractRouter router(String chaincodeName) {
    if (router == null) {
      router = newRouter(chaincodeName);
    }
    return router;
  }

  private static ContractRouter newRouter(String chaincodeName) {
    ContractRouter created = new ContractRouter(new String[] {"--id", chaincodeName + ":devnet"});
    quietShimLogging();
    boot(created);
    return created;
  }

  /**
   * Does what the shim's own main does before it connects to a peer: scans the classpath for
   * contracts, then builds the metadata that {@code org.hyperledger.fabric:GetMetadata} answers
   * (without it a client sees {@code "contracts":{}}). Devnet never connects to a peer, so it runs
   * these package-private steps itself.
   */
  private static void boot(ContractRouter created) {
    routerCall(created, "findAllContracts");
    MetadataBuilder.initialize(
        (RoutingRegistry) routerCall(created, "getRoutingRegistry"),
        (TypeRegistry) routerCall(created, "getTypeRegistry"));
  }

  private static Object routerCall(ContractRouter created, String methodName) {
    try {
      Method method = ContractRouter.class.getDeclaredMethod(methodName);
      method.setAccessible(true);
      return method.invoke(created);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException(
          "this fabric-chaincode-shim has no ContractRouter." + methodName + "()", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "ContractRouter." + methodName + "() failed while booting the contracts", e.getCause());
    }
  }

  /** The shim logs every invocation at INFO; on a busy devnet that is most of the work. */
  private static void quietShimLogging() {
    if (System.getenv("CORE_CHAINCODE_LOGGING_LEVEL") == null) {
      for (String name :
          new String[] {
            "org.hyperledger",
            "org.hyperledger.fabric.contract",
            "org.hyperledger.fabric.shim",
            "org.hyperledger.fabric.contract.ContractRouter"
          }) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.WARNING);
        QUIETED.add(logger);
      }
    }
  }
}

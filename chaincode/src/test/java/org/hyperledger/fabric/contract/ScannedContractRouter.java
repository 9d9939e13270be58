package org.hyperledger.fabric.contract;

import org.hyperledger.fabric.contract.metadata.MetadataBuilder;

/**
 * Boots a ContractRouter the way {@code startRouterWithChaincodeServer} does, without a server: the
 * classpath scan ({@code findAllContracts}) and the metadata build are package-private in shim
 * 2.5.7, so this test helper lives in the shim's package.
 */
public final class ScannedContractRouter {
  private ScannedContractRouter() {}

  public static ContractRouter boot(final String chaincodeId) {
    final ContractRouter router = new ContractRouter(new String[] {"--id", chaincodeId});
    router.findAllContracts();
    MetadataBuilder.initialize(router.getRoutingRegistry(), router.getTypeRegistry());
    return router;
  }
}

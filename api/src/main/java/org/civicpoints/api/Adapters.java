package org.civicpoints.api;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.mongo.MongoActivities;
import org.civicpoints.api.mongo.MongoAttendances;
import org.civicpoints.api.mongo.MongoAuditTrail;
import org.civicpoints.api.mongo.MongoBoardMembers;
import org.civicpoints.api.mongo.MongoCommunityChanges;
import org.civicpoints.api.mongo.MongoDeviceTokens;
import org.civicpoints.api.mongo.MongoExportAudit;
import org.civicpoints.api.mongo.MongoInbox;
import org.civicpoints.api.mongo.MongoLedgerOutbox;
import org.civicpoints.api.mongo.MongoMembers;
import org.civicpoints.api.mongo.MongoOrgUnits;
import org.civicpoints.api.mongo.MongoPointRules;
import org.civicpoints.api.mongo.MongoPointsReadModel;
import org.civicpoints.api.mongo.MongoProjectorCheckpoints;
import org.civicpoints.api.mongo.MongoRefreshTokens;
import org.civicpoints.api.mongo.MongoStandings;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.mongo.MongoSubmissions;

/** Every MongoDB adapter, built once on the one store, and the indexes they need. */
record Adapters(
    MongoMembers members,
    MongoRefreshTokens refreshTokens,
    MongoCommunityChanges communityChanges,
    MongoOrgUnits orgUnits,
    MongoPointRules rules,
    MongoActivities activities,
    MongoAttendances attendances,
    MongoSubmissions submissions,
    MongoAuditTrail audit,
    MongoExportAudit exports,
    MongoInbox inbox,
    MongoDeviceTokens devices,
    MongoLedgerOutbox ledgerOutbox,
    MongoProjectorCheckpoints checkpoints,
    MongoPointsReadModel pointsReadModel,
    MongoStandings standings,
    MongoBoardMembers boardMembers) {

  static Adapters on(MongoStore store) {
    return new Adapters(
        new MongoMembers(store),
        new MongoRefreshTokens(store),
        new MongoCommunityChanges(store),
        new MongoOrgUnits(store),
        new MongoPointRules(store),
        new MongoActivities(store),
        new MongoAttendances(store),
        new MongoSubmissions(store),
        new MongoAuditTrail(store),
        new MongoExportAudit(store),
        new MongoInbox(store),
        new MongoDeviceTokens(store),
        new MongoLedgerOutbox(store),
        new MongoProjectorCheckpoints(store),
        new MongoPointsReadModel(store),
        new MongoStandings(store),
        new MongoBoardMembers(store));
  }

  Future<Void> createIndexes() {
    return Future.all(
            List.of(
                members.createIndexes(),
                refreshTokens.createIndexes(),
                communityChanges.createIndexes(),
                orgUnits.createIndexes(),
                rules.createIndexes(),
                activities.createIndexes(),
                attendances.createIndexes(),
                submissions.createIndexes(),
                audit.createIndexes(),
                inbox.createIndexes(),
                devices.createIndexes(),
                ledgerOutbox.createIndexes(),
                pointsReadModel.createIndexes(),
                standings.createIndexes(),
                boardMembers.createIndexes()))
        .mapEmpty();
  }
}

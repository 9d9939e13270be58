package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.nor;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.port.BoardMembers;

/** Leaderboards' reads of the "members" collection (owned by {@link MongoMembers}). */
public final class MongoBoardMembers implements BoardMembers {

  private static final String BRANCH = "branch";

  private final MongoCollection<Document> members;

  public MongoBoardMembers(MongoStore store) {
    this.members = store.database().getCollection("members");
  }

  /**
   * Every board read asks who opted out; on MongoDB this index answers it without a collection
   * scan.
   */
  public Future<Void> createIndexes() {
    return Publishers.done(
        members.createIndexes(
            List.of(
                new IndexModel(
                    Indexes.ascending("leaderboardVisibility"),
                    new IndexOptions().name("leaderboardVisibility")),
                new IndexModel(
                    Indexes.ascending(MongoMembers.LEFT_PARTY_BRANCHES),
                    new IndexOptions().name(MongoMembers.LEFT_PARTY_BRANCHES)),
                new IndexModel(
                    Indexes.ascending(MongoMembers.PARTY_ON_BRANCH_BOARDS),
                    new IndexOptions().name(MongoMembers.PARTY_ON_BRANCH_BOARDS)))));
  }

  @Override
  public Future<Set<String>> leftOut(String scope) {
    if (!Scopes.kind(scope).equals(BRANCH)) {
      return hidden();
    }
    String branchId = Scopes.unitId(scope);
    Bson stillMember =
        and(
            eq("party.status", PartyMembership.Status.VERIFIED.name()),
            eq("party.branchId", branchId));
    return Future.all(
            hidden(),
            ids(and(eq(MongoMembers.LEFT_PARTY_BRANCHES, branchId), nor(stillMember))),
            // Withdrawn consent (PARTY_ON_BRANCH_BOARDS): left out of every branch's boards.
            ids(eq(MongoMembers.PARTY_ON_BRANCH_BOARDS, false)))
        .map(
            all -> {
              Set<String> ids = new HashSet<>(all.<Set<String>>resultAt(0));
              ids.addAll(all.resultAt(1));
              ids.addAll(all.resultAt(2));
              return ids;
            });
  }

  @Override
  public Future<Set<String>> hidden() {
    return ids(eq("leaderboardVisibility", LeaderboardVisibility.HIDDEN.name()));
  }

  private Future<Set<String>> ids(Bson filter) {
    return Publishers.all(members.find(filter).projection(Projections.include("_id")))
        .map(
            documents -> {
              Set<String> ids = new HashSet<>();
              documents.forEach(d -> ids.add(d.getString("_id")));
              return ids;
            });
  }

  @Override
  public Future<Map<String, Member>> byIds(Collection<String> memberIds) {
    return IdLookup.byIds(members, memberIds)
        .map(
            documents -> {
              Map<String, Member> byId = new HashMap<>();
              documents.forEach(d -> byId.put(d.getString("_id"), MongoMembers.toMember(d)));
              return byId;
            });
  }
}

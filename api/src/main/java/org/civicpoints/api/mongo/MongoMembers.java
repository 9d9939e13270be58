package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.ProfileChanges;

/** Members in the "members" collection, _id = memberId. */
public final class MongoMembers implements Members {

  /** Party branches the member was verified in and left (read by {@link MongoBoardMembers}). */
  static final String LEFT_PARTY_BRANCHES = "leftPartyBranchIds";

  /** false when the member withdrew PARTY_ON_BRANCH_BOARDS (read by {@link MongoBoardMembers}). */
  static final String PARTY_ON_BRANCH_BOARDS = "partyOnBranchBoards";

  private static final FindOneAndUpdateOptions RETURN_UPDATED =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

  private final MongoCollection<Document> collection;

  public MongoMembers(MongoStore store) {
    this.collection = store.database().getCollection("members");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    // Sparse: members signed in by email have no phone, dev members have no Firebase uid.
    return NamedIndexes.create(
        collection,
        new IndexModel(
            Indexes.ascending("phone"),
            new IndexOptions().unique(true).sparse(true).name("phone_unique")),
        new IndexModel(
            Indexes.ascending("firebaseUid"),
            new IndexOptions().unique(true).sparse(true).name("firebaseUid_unique")),
        NamedIndexes.ascending("communityId"));
  }

  @Override
  public Future<Member> findById(String memberId) {
    return Publishers.first(collection.find(eq("_id", memberId))).map(MongoMembers::toMember);
  }

  @Override
  public Future<Member> findOrCreateByPhone(Member fresh) {
    Document onInsert = toDocument(fresh);
    onInsert.remove("phone");
    FindOneAndUpdateOptions upsert =
        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);
    return Publishers.first(
            collection.findOneAndUpdate(
                eq("phone", fresh.phone()), new Document("$setOnInsert", onInsert), upsert))
        .map(MongoMembers::toMember)
        // Two first sign-ins at once: one upsert wins, the other hits the unique index.
        .recover(
            failure ->
                DuplicateKey.is(failure)
                    ? Publishers.first(collection.find(eq("phone", fresh.phone())))
                        .map(MongoMembers::toMember)
                    : Future.failedFuture(failure));
  }

  @Override
  public Future<Member> findOrCreateByFirebaseUid(Member fresh) {
    return Publishers.first(collection.find(eq("firebaseUid", fresh.firebaseUid())))
        .compose(
            found -> found != null ? Future.succeededFuture(toMember(found)) : linkOrInsert(fresh));
  }

  /**
   * Firebase has just proven the caller owns this phone, so the member with that phone is theirs,
   * even if it was linked to an older Firebase account of the same number (deleted and re-created).
   */
  private Future<Member> linkOrInsert(Member fresh) {
    Future<Document> linked =
        fresh.phone() == null
            ? Future.succeededFuture()
            : Publishers.first(
                collection.findOneAndUpdate(
                    eq("phone", fresh.phone()),
                    Updates.combine(Updates.set("firebaseUid", fresh.firebaseUid()), touched()),
                    RETURN_UPDATED));
    return linked.compose(
        document ->
            document != null
                ? Future.succeededFuture(toMember(document))
                : Publishers.done(collection.insertOne(toDocument(fresh)))
                    .map(v -> fresh)
                    .recover(
                        failure ->
                            DuplicateKey.is(failure)
                                ? Publishers.first(
                                        collection.find(eq("firebaseUid", fresh.firebaseUid())))
                                    .map(MongoMembers::toMember)
                                : Future.failedFuture(failure)));
  }

  @Override
  public Future<List<Member>> listByCommunity(String communityId) {
    return Publishers.all(
            collection.find(eq("communityId", communityId)).sort(Sorts.ascending("_id")))
        .map(documents -> documents.stream().map(MongoMembers::toMember).toList());
  }

  @Override
  public Future<Boolean> register(Member fresh) {
    return Publishers.done(collection.insertOne(toDocument(fresh)))
        .map(true)
        .recover(
            failure ->
                DuplicateKey.is(failure)
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(failure));
  }

  @Override
  public Future<Long> countStaff(Set<String> scopes, String exceptMemberId) {
    return Publishers.first(
        collection.countDocuments(
            Filters.and(
                eq("roles", Role.STAFF.name()),
                Filters.in("scopes", scopes),
                Filters.ne("_id", exceptMemberId))));
  }

  @Override
  public Future<Member> updateProfile(String memberId, ProfileChanges changes) {
    List<Bson> updates = new ArrayList<>();
    changes.displayName().ifPresent(name -> updates.add(Updates.set("displayName", name)));
    changes.avatarUrl().ifPresent(url -> updates.add(Updates.set("avatarUrl", url)));
    changes
        .leaderboardVisibility()
        .ifPresent(v -> updates.add(Updates.set("leaderboardVisibility", v.name())));
    changes.language().ifPresent(language -> updates.add(Updates.set("language", language.tag())));
    updates.add(touched());
    return update(memberId, Updates.combine(updates));
  }

  @Override
  public Future<Member> setAccess(String memberId, Set<Role> roles, Set<String> scopes) {
    return update(
        memberId,
        Updates.combine(
            Updates.set("roles", roles.stream().map(Role::name).sorted().toList()),
            Updates.set("scopes", scopes.stream().sorted().toList()),
            touched()));
  }

  @Override
  public Future<Member> setCommunity(String memberId, String communityId) {
    return update(memberId, Updates.combine(Updates.set("communityId", communityId), touched()));
  }

  @Override
  public Future<Member> setPartyMembership(String memberId, PartyMembership membership) {
    return update(
        memberId, Updates.combine(Updates.set("party", partyDocument(membership)), touched()));
  }

  @Override
  public Future<Member> endPartyMembership(String memberId, String branchId) {
    return update(
        memberId,
        Updates.combine(
            Updates.set("party", partyDocument(PartyMembership.NONE)),
            Updates.addToSet(LEFT_PARTY_BRANCHES, branchId),
            touched()));
  }

  @Override
  public Future<Member> setPartyOnBranchBoards(String memberId, boolean shown) {
    return update(memberId, Updates.combine(Updates.set(PARTY_ON_BRANCH_BOARDS, shown), touched()));
  }

  /** One update conditioned on "not deleted yet": two deletions at once erase once. */
  @Override
  public Future<Member> erase(String memberId, Instant at) {
    Document member = new Document("_id", memberId).append("deletedAt", null);
    Bson erased =
        Updates.combine(
            Updates.unset("phone"),
            Updates.unset("firebaseUid"),
            Updates.unset("avatarUrl"),
            Updates.set("displayName", null),
            Updates.set("roles", List.of(Role.RESIDENT.name())),
            Updates.set("scopes", List.of()),
            Updates.set("party", partyDocument(PartyMembership.NONE)),
            Updates.set(PARTY_ON_BRANCH_BOARDS, false),
            Updates.set("deletedAt", Date.from(at)),
            touched());
    return Publishers.first(collection.findOneAndUpdate(member, erased))
        .map(MongoMembers::toMember);
  }

  private Future<Member> update(String memberId, Bson update) {
    return Publishers.first(
            collection.findOneAndUpdate(eq("_id", memberId), update, RETURN_UPDATED))
        .map(MongoMembers::toMember);
  }

  private static Bson touched() {
    return Updates.set("updatedAt", new Date());
  }

  static Document toDocument(Member member) {
    Document document = new Document("_id", member.memberId());
    putIfPresent(document, "phone", member.phone());
    putIfPresent(document, "firebaseUid", member.firebaseUid());
    document.append("displayName", member.displayName());
    putIfPresent(document, "avatarUrl", member.avatarUrl());
    document.append("roles", member.roles().stream().map(Role::name).sorted().toList());
    document.append("scopes", member.scopes().stream().sorted().toList());
    putIfPresent(document, "communityId", member.communityId());
    document.append("leaderboardVisibility", member.leaderboardVisibility().name());
    document.append("party", partyDocument(member.partyMembership()));
    document.append("createdAt", Date.from(member.createdAt()));
    document.append("language", member.language().tag());
    putIfPresent(document, "registeredBy", member.registeredBy());
    return document;
  }

  static Member toMember(Document document) {
    if (document == null) {
      return null;
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    document
        .getList("roles", String.class, List.of())
        .forEach(role -> roles.add(Role.valueOf(role)));
    return new Member(
        document.getString("_id"),
        document.getString("phone"),
        document.getString("firebaseUid"),
        document.getString("displayName"),
        document.getString("avatarUrl"),
        roles,
        new HashSet<>(document.getList("scopes", String.class, List.of())),
        document.getString("communityId"),
        LeaderboardVisibility.valueOf(document.getString("leaderboardVisibility")),
        toParty(document.get("party", Document.class)),
        Documents.instant(document, "createdAt"),
        Language.ofTag(document.getString("language")).orElse(Language.DEFAULT),
        document.getString("registeredBy"),
        Documents.instant(document, "deletedAt"));
  }

  private static Document partyDocument(PartyMembership party) {
    Document document = new Document("status", party.status().name());
    putIfPresent(document, "branchId", party.branchId());
    if (party.verifiedAt() != null) {
      document.append("verifiedAt", Date.from(party.verifiedAt()));
    }
    return document;
  }

  private static PartyMembership toParty(Document document) {
    if (document == null) {
      return PartyMembership.NONE;
    }
    return new PartyMembership(
        PartyMembership.Status.valueOf(document.getString("status")),
        document.getString("branchId"),
        Documents.instant(document, "verifiedAt"));
  }

  private static void putIfPresent(Document document, String key, Object value) {
    if (value != null) {
      document.append(key, value);
    }
  }
}

package org.civicpoints.devnet;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;

/**
 * The Fabric Gateway gRPC service ({@code gateway.Gateway}) of a single peer, shaping replies and
 * errors as a Fabric 2.5 peer does so unmodified fabric-gateway clients work against it.
 */
final class GatewayService extends GatewayGrpc.GatewayImplBase {

  private static final System.Logger LOG = System.getLogger(GatewayService.class.getName());
  private static final long EVENT_POLL_MILLIS = 500;

  /** What the service works with; collected so the constructor stays readable. */
  record Parts(
      DevnetConfig config,
      Msp msp,
      Endorser endorser,
      EnvelopeChecker checker,
      Orderer orderer,
      Committer committer,
      Ledger ledger,
      Faults faults,
      ScheduledExecutorService scheduler,
      ExecutorService eventStreams,
      Executor responders,
      Supplier<String> address) {}

  private final Parts parts;

  GatewayService(Parts parts) {
    this.parts = parts;
  }

  @Override
  public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> observer) {
    if (parts.faults().takeEvaluationFailure()) {
      observer.onError(unavailable("evaluate"));
      return;
    }
    try {
      observer.onNext(
          EvaluateResponse.newBuilder()
              .setResult(parts.endorser().evaluate(request.getProposedTransaction()))
              .build());
      observer.onCompleted();
    } catch (EndorsementFailure failure) {
      observer.onError(
          failed(
              failure,
              Status.Code.UNKNOWN,
              "evaluate call to endorser returned error: " + failure.getMessage()));
    }
  }

  @Override
  public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> observer) {
    if (parts.faults().takeEndorsementFailure()) {
      observer.onError(unavailable("endorse"));
      return;
    }
    try {
      observer.onNext(
          EndorseResponse.newBuilder()
              .setPreparedTransaction(parts.endorser().endorse(request.getProposedTransaction()))
              .build());
      observer.onCompleted();
    } catch (EndorsementFailure failure) {
      observer.onError(
          failed(
              failure,
              Status.Code.ABORTED,
              "failed to endorse transaction, see attached details for more info"));
    }
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> observer) {
    if (parts.faults().takeSubmitFailure() || parts.committer().failed()) {
      observer.onError(unavailable("submit"));
      return;
    }
    if (!parts.config().channel().equals(request.getChannelId())) {
      observer.onError(channelNotFound(request.getChannelId()));
      return;
    }
    SubmittedTransaction submitted;
    try {
      submitted = parts.checker().check(request.getPreparedTransaction());
    } catch (InvalidProtocolBufferException e) {
      observer.onError(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    if (!request.getTransactionId().isEmpty()
        && !request.getTransactionId().equals(submitted.txId())) {
      observer.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "transaction id " + request.getTransactionId() + " does not match the envelope")
              .asRuntimeException());
      return;
    }
    parts.orderer().enqueue(submitted);
    observer.onNext(SubmitResponse.getDefaultInstance());
    observer.onCompleted();
  }

  @Override
  public void commitStatus(
      SignedCommitStatusRequest signed, StreamObserver<CommitStatusResponse> observer) {
    CommitStatusRequest request =
        opened(
            signed.getRequest(),
            signed.getSignature(),
            CommitStatusRequest.parser(),
            CommitStatusRequest::getIdentity,
            CommitStatusRequest::getChannelId,
            observer);
    if (request == null) {
      return;
    }
    awaitCommit(
        request.getTransactionId(), (ServerCallStreamObserver<CommitStatusResponse>) observer);
  }

  /** Answers when the transaction commits, without holding a thread while it waits. */
  private void awaitCommit(String txId, ServerCallStreamObserver<CommitStatusResponse> observer) {
    CompletableFuture<Ledger.TxLocation> committed = parts.ledger().whenCommitted(txId);
    observer.setOnCancelHandler(() -> parts.ledger().forgetWaiter(txId, committed));
    // Answered off the committer thread, which should be validating the next block.
    committed.thenAcceptAsync(
        location -> {
          Duration delay = parts.faults().commitStatusDelay();
          Runnable answer = () -> answerCommitStatus(location, observer);
          if (delay.isZero()) {
            answer.run();
          } else {
            parts.scheduler().schedule(answer, delay.toNanos(), TimeUnit.NANOSECONDS);
          }
        },
        parts.responders());
  }

  private static void answerCommitStatus(
      Ledger.TxLocation location, ServerCallStreamObserver<CommitStatusResponse> observer) {
    if (observer.isCancelled()) {
      return; // the client gave up (deadline or cancel); nobody is listening
    }
    observer.onNext(
        CommitStatusResponse.newBuilder()
            .setResult(location.code())
            .setBlockNumber(location.blockNumber())
            .build());
    observer.onCompleted();
  }

  @Override
  public void chaincodeEvents(
      SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> observer) {
    ChaincodeEventsRequest request =
        opened(
            signed.getRequest(),
            signed.getSignature(),
            ChaincodeEventsRequest.parser(),
            ChaincodeEventsRequest::getIdentity,
            ChaincodeEventsRequest::getChannelId,
            observer);
    if (request == null) {
      return;
    }
    long startBlock;
    switch (request.getStartPosition().getTypeCase()) {
      // The clients send NEXT_COMMIT when no start block is given: only blocks committed from now
      // on.
      case TYPE_NOT_SET, NEXT_COMMIT, NEWEST -> startBlock = parts.ledger().height();
      case SPECIFIED -> startBlock = request.getStartPosition().getSpecified().getNumber();
      default -> {
        observer.onError(
            Status.INVALID_ARGUMENT
                .withDescription(
                    "invalid start position type: " + request.getStartPosition().getTypeCase())
                .asRuntimeException());
        return;
      }
    }
    ServerCallStreamObserver<ChaincodeEventsResponse> stream =
        (ServerCallStreamObserver<ChaincodeEventsResponse>) observer;
    ReadySignal ready = new ReadySignal();
    stream.setOnReadyHandler(ready::signal);
    stream.setOnCancelHandler(
        () -> {
          ready.signal();
          parts.ledger().wakeWaiters();
        });
    parts.eventStreams().execute(() -> streamEvents(request, startBlock, stream, ready));
  }

  /**
   * Sends each block's events for the chaincode, in block order, from the start block on; in the
   * start block, events up to and including {@code after_transaction_id} were already seen.
   */
  private void streamEvents(
      ChaincodeEventsRequest request,
      long startBlock,
      ServerCallStreamObserver<ChaincodeEventsResponse> stream,
      ReadySignal ready) {
    int seenThrough =
        request.getAfterTransactionId().isEmpty()
            ? -1
            : parts
                .ledger()
                .location(request.getAfterTransactionId())
                .filter(location -> location.blockNumber() == startBlock)
                .map(Ledger.TxLocation::txIndex)
                .orElse(-1);
    long block = startBlock;
    try {
      while (!stream.isCancelled()) {
        if (!parts.ledger().awaitHeight(block + 1, EVENT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          continue;
        }
        int skipThrough = block == startBlock ? seenThrough : -1;
        List<ChaincodeEvent> events =
            parts.ledger().events(block).stream()
                .filter(emitted -> emitted.txIndex() > skipThrough)
                .map(Ledger.EmittedEvent::event)
                .filter(event -> event.getChaincodeId().equals(request.getChaincodeId()))
                .toList();
        if (!events.isEmpty()) {
          ready.await(stream);
          stream.onNext(
              ChaincodeEventsResponse.newBuilder()
                  .setBlockNumber(block)
                  .addAllEvents(events)
                  .build());
        }
        block++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.onError(
          Status.UNAVAILABLE.withDescription("devnet is shutting down").asRuntimeException());
    } catch (StatusRuntimeException e) {
      // onNext raced with the client going away: the stream is over either way.
      LOG.log(System.Logger.Level.DEBUG, "chaincode events stream ended: {0}", e.getStatus());
    }
  }

  /**
   * Flow control for an event stream: a client replaying a long chain reads slower than the devnet
   * can send, so the sender waits until gRPC says the stream can take more.
   */
  private static final class ReadySignal {

    synchronized void signal() {
      notifyAll();
    }

    synchronized void await(ServerCallStreamObserver<?> stream) throws InterruptedException {
      while (!stream.isReady() && !stream.isCancelled()) {
        wait(EVENT_POLL_MILLIS);
      }
    }
  }

  /**
   * A signed request parsed, its signature checked against its creator and its channel ours; null
   * once the observer has been told why not (as a peer answers: INVALID_ARGUMENT,
   * PERMISSION_DENIED, NOT_FOUND).
   */
  private <R> R opened(
      ByteString bytes,
      ByteString signature,
      Parser<R> parser,
      Function<R, ByteString> identity,
      Function<R, String> channel,
      StreamObserver<?> observer) {
    R request;
    try {
      request = parser.parseFrom(bytes);
      parts.msp().verify(identity.apply(request), bytes, signature);
    } catch (InvalidProtocolBufferException e) {
      observer.onError(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return null;
    } catch (IdentityRejectedException e) {
      observer.onError(
          Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
      return null;
    }
    if (!parts.config().channel().equals(channel.apply(request))) {
      observer.onError(channelNotFound(channel.apply(request)));
      return null;
    }
    return request;
  }

  private static StatusRuntimeException unavailable(String call) {
    return Status.UNAVAILABLE
        .withDescription("devnet fault injected: " + call + " unavailable")
        .asRuntimeException();
  }

  private static StatusRuntimeException channelNotFound(String channel) {
    return Status.NOT_FOUND
        .withDescription("channel '" + channel + "' not found")
        .asRuntimeException();
  }

  /**
   * A peer's error: the status and message, plus an ErrorDetail naming this peer for endorser
   * failures.
   */
  private StatusRuntimeException failed(
      EndorsementFailure failure, Status.Code code, String message) {
    return switch (failure.kind()) {
      case MALFORMED ->
          Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException();
      case NOT_FOUND -> Status.NOT_FOUND.withDescription(failure.getMessage()).asRuntimeException();
      case ENDORSER ->
          StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(code.value())
                  .setMessage(message)
                  .addDetails(
                      Any.pack(
                          ErrorDetail.newBuilder()
                              .setAddress(parts.address().get())
                              .setMspId(parts.msp().organization().mspId())
                              .setMessage(failure.getMessage())
                              .build()))
                  .build());
    };
  }
}

using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// Enrolments recorded with group commit: what the EST service records per enrolment (the
/// birth certificate on the first one, the new operational certificate, the audit entry)
/// costs a durable SQLite commit in the inventory and another in the audit log. Concurrent
/// enrolments share those commits instead of queueing for one each.
/// </summary>
public sealed partial class DeviceInventory
{
    // One transaction holds at most this many enrolments: it bounds the time readers (the EST
    // authorization look-ups) wait for the connection, and the audit batch's size.
    internal const int MaxEnrolmentsPerCommit = 128;

    private readonly Lock _enrolmentQueueGate = new();

    // One entry per caller awaiting its enrolment: the EST service bounds those by its
    // connection limit and the one-enrolment-per-device guard.
    private readonly Queue<PendingEnrolment> _enrolmentQueue = new();
    private bool _enrolmentWriterRunning;
    private long _enrolmentsTaken;

    /// <summary>
    /// Records an enrolment: <paramref name="birthCertificate"/> when given (as
    /// <see cref="RecordIssuedCertificate"/> with <see cref="CertificateKind.Birth"/>) and the
    /// new <paramref name="operationalCertificate"/>, which supersedes the device's active one,
    /// in one transaction, and the enrolment's audit entry. Enrolments recorded at the same time
    /// are committed in the same transaction and audited in the same audit batch, in the order
    /// they were recorded (group commit); each stays all-or-nothing on its own: a refused one
    /// is rolled back to its savepoint and the others are committed. The task completes only
    /// once the inventory rows and the audit entry are durable.
    /// </summary>
    /// <remarks>
    /// One writer at a time runs on a thread-pool thread while the callers wait without
    /// holding a thread: an enrolment storm blocks one thread on the disk, not one per device.
    /// </remarks>
    /// <returns>The operational certificate's record (the existing one when it was recorded before; then nothing is audited).</returns>
    /// <exception cref="InventoryException">As for <see cref="RecordIssuedCertificate"/> (nothing of this enrolment is recorded); or <see cref="InventoryErrorReason.WriteFailed"/> when the shared commit failed.</exception>
    /// <exception cref="AuditLogException">The inventory rows are committed but the audit entry was not written (as <see cref="RecordIssuedCertificate"/> does).</exception>
    public Task<IssuedCertificateRecord> RecordEnrolmentAsync(string deviceId, X509Certificate2 operationalCertificate, X509Certificate2? birthCertificate = null, string actor = "est")
    {
        InventoryText.RequireDeviceId(deviceId);
        AuditDetailsPolicy.RequireName(actor, nameof(actor));
        var pending = new PendingEnrolment(
            deviceId,
            birthCertificate is null ? null : CertificateToRecord.Of(birthCertificate, CertificateKind.Birth),
            CertificateToRecord.Of(operationalCertificate, CertificateKind.Operational),
            actor);
        bool startWriter;
        lock (_enrolmentQueueGate)
        {
            ThrowIfDisposed();
            _enrolmentQueue.Enqueue(pending);
            startWriter = !_enrolmentWriterRunning;
            _enrolmentWriterRunning = true;
        }

        if (startWriter)
        {
            _ = Task.Run(WriteQueuedEnrolments);
        }

        return pending.Task;
    }

    /// <summary>Records an enrolment and waits for it (<see cref="RecordEnrolmentAsync"/>), for callers that are not asynchronous.</summary>
    /// <inheritdoc cref="RecordEnrolmentAsync" path="/exception"/>
    public IssuedCertificateRecord RecordEnrolment(string deviceId, X509Certificate2 operationalCertificate, X509Certificate2? birthCertificate = null, string actor = "est") =>
        RecordEnrolmentAsync(deviceId, operationalCertificate, birthCertificate, actor).GetAwaiter().GetResult();

    // The writer: commits batches until the queue is empty. Whatever arrives while a batch is
    // being written goes into the next one.
    private void WriteQueuedEnrolments()
    {
        while (true)
        {
            List<PendingEnrolment> batch;
            lock (_enrolmentQueueGate)
            {
                batch = TakeEnrolmentBatch();
                if (batch.Count == 0)
                {
                    _enrolmentWriterRunning = false;
                    return;
                }
            }

            WriteEnrolments(batch);
        }
    }

    /// <summary>Enrolments queued and not yet taken by a writer (tests wait on it to build a batch).</summary>
    internal int QueuedEnrolments
    {
        get
        {
            lock (_enrolmentQueueGate)
            {
                return _enrolmentQueue.Count;
            }
        }
    }

    /// <summary>Enrolments taken by a writer so far (tests wait on it to build a batch).</summary>
    internal long EnrolmentsTaken => Interlocked.Read(ref _enrolmentsTaken);

    // Under _enrolmentQueueGate.
    private List<PendingEnrolment> TakeEnrolmentBatch()
    {
        var batch = new List<PendingEnrolment>(Math.Min(_enrolmentQueue.Count, MaxEnrolmentsPerCommit));
        while (batch.Count < MaxEnrolmentsPerCommit && _enrolmentQueue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        Interlocked.Add(ref _enrolmentsTaken, batch.Count);
        return batch;
    }

    /// <summary>Commits <paramref name="batch"/> in one inventory transaction, audits it in one audit batch, and answers every member.</summary>
    private void WriteEnrolments(List<PendingEnrolment> batch)
    {
        try
        {
            lock (_gate)
            {
                ThrowIfDisposed();
                using var transaction = _connection.BeginTransaction(deferred: false);
                foreach (var member in batch)
                {
                    // A savepoint per enrolment: one refused (revoked meanwhile, a reused
                    // serial) is undone alone and answered with its own reason.
                    transaction.Save("enrolment");
                    try
                    {
                        if (member.Birth is { } birth)
                        {
                            RecordCertificate(member.DeviceId, birth, transaction);
                        }

                        member.Staged = RecordCertificate(member.DeviceId, member.Operational, transaction);
                        transaction.Release("enrolment");
                    }
                    catch (InventoryException e)
                    {
                        transaction.Rollback("enrolment");
                        transaction.Release("enrolment");
                        member.Fail(e);
                    }
                }

                transaction.Commit();
            }

            AuditCommitted(batch);
            foreach (var member in batch)
            {
                if (!member.Done)
                {
                    member.Complete(member.Staged!.Record);
                }
            }
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // The shared transaction failed (I/O error, disk full, a lock held past the busy
            // timeout, the inventory closed meanwhile): nothing of it was committed, and every
            // member not answered yet is told so. Nobody else would see the exception.
            foreach (var member in batch)
            {
                if (!member.Done)
                {
                    member.Fail(new InventoryException(InventoryErrorReason.WriteFailed, $"the enrolment of device '{member.DeviceId}' was not recorded: {e.Message}", e));
                }
            }
        }
        finally
        {
            // Whatever else went wrong, no caller is left waiting for an answer.
            foreach (var member in batch)
            {
                if (!member.Done)
                {
                    member.Fail(new InventoryException(InventoryErrorReason.WriteFailed, $"the enrolment of device '{member.DeviceId}' was not recorded: the write was interrupted"));
                }
            }
        }
    }

    // After the inventory commit, so that an audited enrolment is always in the inventory; in
    // one audit batch, in the order the enrolments were committed.
    private void AuditCommitted(List<PendingEnrolment> batch)
    {
        if (_audit is null)
        {
            return;
        }

        var audited = new List<PendingEnrolment>(batch.Count);
        var entries = new List<AuditAppend>(batch.Count);
        foreach (var member in batch)
        {
            if (!member.Done && member.Staged!.IsNew)
            {
                audited.Add(member);
                entries.Add(EnrolmentAuditEntry(member.Actor, member.DeviceId, member.Staged));
            }
        }

        try
        {
            _audit.AppendBatch(entries);
        }
        catch (AuditLogException e)
        {
            foreach (var member in audited)
            {
                member.Fail(new AuditLogException($"device '{member.DeviceId}' is enrolled in the inventory, but its audit entry was not recorded: {e.Message}", e));
            }
        }
    }

    /// <summary>An enrolment waiting for the writer; answered by the writer once its batch is durable (or failed).</summary>
    private sealed class PendingEnrolment(string deviceId, CertificateToRecord? birth, CertificateToRecord operational, string actor)
    {
        // Continuations run elsewhere, not on the writer's thread: it has the next batch to write.
        private readonly TaskCompletionSource<IssuedCertificateRecord> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string DeviceId { get; } = deviceId;

        public CertificateToRecord? Birth { get; } = birth;

        public CertificateToRecord Operational { get; } = operational;

        public string Actor { get; } = actor;

        /// <summary>Written in the open transaction, not yet committed.</summary>
        public RecordedCertificate? Staged { get; set; }

        public Task<IssuedCertificateRecord> Task => _answer.Task;

        public bool Done => _answer.Task.IsCompleted;

        public void Complete(IssuedCertificateRecord record) => _answer.TrySetResult(record);

        public void Fail(Exception error) => _answer.TrySetException(error);
    }
}

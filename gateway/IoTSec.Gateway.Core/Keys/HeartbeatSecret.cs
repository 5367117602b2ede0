using System;
using System.Security.Cryptography;
using System.Threading;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Gateway.Core.Keys;

/// <summary>
/// The gateway heartbeat secret (docs/protocols/heartbeat-key.md): 32 random bytes made at the
/// gateway's first start, sealed by the key store's <see cref="ISecretSealer"/> (TPM: to PCR 23;
/// software: AES-GCM under a 0600 key file) and unsealed into memory at start. Every device's
/// heartbeat key is derived from it. It never appears in a log, a response or an audit entry.
/// </summary>
/// <remarks>
/// When the seal does not open (the tamper latch is set), the gateway keeps running and the
/// heartbeat-key endpoint answers 503: enrolment still works, and an operator's re-arm makes
/// the secret available again without a restart (the unseal is retried, at most every
/// <see cref="RetryInterval"/>).
/// </remarks>
public sealed class HeartbeatSecret : IDisposable
{
    /// <summary>The sealed secret's name.</summary>
    public const string SealedName = "heartbeat-secret";

    /// <summary>Least time between two unseal attempts while the secret is unavailable.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    private readonly ISecretSealer? _sealer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private byte[]? _secret;
    private string? _unavailableReason;
    private DateTimeOffset _nextAttempt;
    private bool _disposed;

    private HeartbeatSecret(ISecretSealer? sealer, byte[]? secret, TimeProvider time)
    {
        _sealer = sealer;
        _secret = secret;
        _time = time;
    }

    /// <summary>True when the secret was made by <see cref="Open"/> (the gateway's first start).</summary>
    public bool Created { get; private init; }

    /// <summary>Why the secret is not available (null when it is).</summary>
    public string? UnavailableReason
    {
        get
        {
            lock (_gate)
            {
                return _secret is null ? _unavailableReason : null;
            }
        }
    }

    /// <summary>
    /// Creates the secret when the sealer has none (first start), then unseals it. A seal that
    /// does not open (tamper latch set) is not an error here: the secret is unavailable until
    /// the latch is cleared.
    /// </summary>
    /// <exception cref="GatewayKeyStoreException">The sealer failed for another reason (unreadable files, no sealing directory).</exception>
    public static HeartbeatSecret Open(ISecretSealer sealer, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sealer);
        var created = false;
        if (!sealer.Exists(SealedName))
        {
            var fresh = RandomNumberGenerator.GetBytes(HeartbeatKeyDerivation.SecretLength);
            try
            {
                sealer.Seal(SealedName, fresh);
                created = true;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fresh);
            }
        }

        var secret = new HeartbeatSecret(sealer, null, timeProvider ?? TimeProvider.System) { Created = created };
        secret.TryUnseal();
        return secret;
    }

    /// <summary>A secret given in code (tests, benchmarks); copied.</summary>
    public static HeartbeatSecret FromBytes(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length != HeartbeatKeyDerivation.SecretLength)
        {
            throw new ArgumentException($"the heartbeat secret is {HeartbeatKeyDerivation.SecretLength} bytes", nameof(secret));
        }

        return new HeartbeatSecret(null, (byte[])secret.Clone(), TimeProvider.System);
    }

    /// <summary>
    /// Derives the heartbeat key of <paramref name="deviceId"/> for the certificate serial
    /// <paramref name="certificateSerial"/> (big-endian DER INTEGER content).
    /// </summary>
    /// <exception cref="SecretSealedException">The secret stays sealed (tamper latch set); retry after <see cref="RetryInterval"/>.</exception>
    public byte[] DeriveKey(string deviceId, byte[] certificateSerial)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_secret is null && _time.GetUtcNow() >= _nextAttempt)
            {
                TryUnseal();
            }

            if (_secret is null)
            {
                throw new SecretSealedException("the gateway heartbeat secret is not available; retry later");
            }

            return HeartbeatKeyDerivation.Derive(_secret, deviceId, certificateSerial);
        }
    }

    /// <summary>
    /// Wipes the unsealed secret from memory (the tamper response: sealing protects the stored
    /// copy, this the one in the daemon). Until the seal opens again, derivations fail with
    /// <see cref="SecretSealedException"/> carrying <paramref name="reason"/>.
    /// </summary>
    public void Forget(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            if (_secret is not null)
            {
                CryptographicOperations.ZeroMemory(_secret);
                _secret = null;
            }

            _unavailableReason = reason;
            _nextAttempt = _time.GetUtcNow() + RetryInterval;
        }
    }

    /// <summary>
    /// Lets the next derivation try to unseal at once instead of waiting for
    /// <see cref="RetryInterval"/> (after an operator's re-arm).
    /// </summary>
    public void RetryNow()
    {
        lock (_gate)
        {
            _nextAttempt = DateTimeOffset.MinValue;
        }
    }

    /// <summary>Wipes the secret from memory.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_secret is not null)
            {
                CryptographicOperations.ZeroMemory(_secret);
                _secret = null;
            }
        }
    }

    private void TryUnseal()
    {
        if (_sealer is null)
        {
            return;
        }

        try
        {
            var secret = _sealer.Unseal(SealedName);
            if (secret.Length != HeartbeatKeyDerivation.SecretLength)
            {
                CryptographicOperations.ZeroMemory(secret);
                _unavailableReason = $"the sealed heartbeat secret has {secret.Length} bytes, not {HeartbeatKeyDerivation.SecretLength}";
                _nextAttempt = _time.GetUtcNow() + RetryInterval;
                return;
            }

            _secret = secret;
            _unavailableReason = null;
        }
        catch (SecretSealedException e)
        {
            _unavailableReason = e.Message;
            _nextAttempt = _time.GetUtcNow() + RetryInterval;
        }
    }
}

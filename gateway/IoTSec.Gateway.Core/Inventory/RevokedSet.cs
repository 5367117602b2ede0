using System;
using System.Collections.Concurrent;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// The revoked certificates and closed devices, in memory, so that the broker's check on
/// every connection is a hash look-up with no database access. Loaded when the inventory
/// opens and updated only after a revocation is committed, so it never claims less than
/// the database holds for longer than the commit-to-update gap on one thread.
/// </summary>
internal sealed class RevokedSet
{
    private readonly ConcurrentDictionary<string, byte> _certificates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _devices = new(StringComparer.Ordinal);

    public int CertificateCount => _certificates.Count;

    public void AddCertificate(string issuer, string serialHex) => _certificates.TryAdd(Key(issuer, serialHex), 0);

    public void AddDevice(string deviceId) => _devices.TryAdd(deviceId, 0);

    public bool ContainsCertificate(string issuer, string serialHex) => _certificates.ContainsKey(Key(issuer, serialHex));

    public bool ContainsDevice(string deviceId) => _devices.ContainsKey(deviceId);

    // Unambiguous: the serial, last, is hex and holds no newline.
    private static string Key(string issuer, string serialHex) => string.Concat(issuer, "\n", serialHex);
}

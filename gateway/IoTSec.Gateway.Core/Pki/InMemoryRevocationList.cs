using System;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>A thread-safe revocation list held in memory: for tests and for tools; the gateway uses the inventory's.</summary>
public sealed class InMemoryRevocationList : IRevocationList
{
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);

    /// <summary>Revokes <paramref name="certificate"/>, issued by <paramref name="issuer"/>.</summary>
    public void Revoke(X509Certificate2 issuer, X509Certificate2 certificate) =>
        Revoke(RevocationIssuerId.Of(issuer), certificate.SerialNumberBytes.ToArray());

    /// <summary>Revokes the serial <paramref name="serial"/> (big-endian) of <paramref name="issuerId"/>.</summary>
    public void Revoke(string issuerId, byte[] serial) => _revoked[Key(issuerId, serial)] = true;

    /// <inheritdoc />
    public bool IsRevoked(string issuerId, byte[] serial) => _revoked.ContainsKey(Key(issuerId, serial));

    private static string Key(string issuerId, byte[] serial) => issuerId + "/" + Convert.ToHexString(serial);
}

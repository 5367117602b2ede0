using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Inventory;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The inventory's revocations as the <see cref="IRevocationList"/> that
/// <see cref="ClientCertificateValidator"/> asks. The validator names an issuer by its subject
/// key identifier (<see cref="RevocationIssuerId"/>), the inventory by its distinguished name:
/// the issuers this gateway knows (the root and the gateway intermediates) translate one into
/// the other. Memory only, as the inventory's revoked set is.
/// </summary>
public sealed class InventoryRevocationList : IRevocationList
{
    private readonly DeviceInventory _inventory;
    private readonly Dictionary<string, string> _issuerNames = new(StringComparer.Ordinal);

    /// <summary>Answers from <paramref name="inventory"/> for certificates issued by <paramref name="issuers"/>.</summary>
    public InventoryRevocationList(DeviceInventory inventory, IEnumerable<X509Certificate2> issuers)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(issuers);
        _inventory = inventory;
        foreach (var issuer in issuers)
        {
            _issuerNames[RevocationIssuerId.Of(issuer)] = issuer.SubjectName.Name;
        }
    }

    /// <inheritdoc />
    public bool IsRevoked(string issuerId, byte[] serial)
    {
        ArgumentNullException.ThrowIfNull(issuerId);
        ArgumentNullException.ThrowIfNull(serial);

        // An issuer without a subject key identifier is named by its DN already.
        var issuerName = _issuerNames.TryGetValue(issuerId, out var name) ? name : issuerId;
        return _inventory.IsRevoked(issuerName, Convert.ToHexString(serial));
    }
}

using System;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>The stored (lowercase) names of the inventory's enums, and times as UTC Unix milliseconds.</summary>
internal static class InventoryNames
{
    public static string Of(DeviceState state) => state switch
    {
        DeviceState.Registered => "registered",
        DeviceState.Enrolled => "enrolled",
        DeviceState.Operating => "operating",
        DeviceState.Quarantined => "quarantined",
        DeviceState.Revoked => "revoked",
        DeviceState.Decommissioned => "decommissioned",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown device state"),
    };

    public static DeviceState ParseState(string text) => text switch
    {
        "registered" => DeviceState.Registered,
        "enrolled" => DeviceState.Enrolled,
        "operating" => DeviceState.Operating,
        "quarantined" => DeviceState.Quarantined,
        "revoked" => DeviceState.Revoked,
        "decommissioned" => DeviceState.Decommissioned,
        _ => throw new InventoryException(InventoryErrorReason.UnsupportedDatabase, $"unknown device state '{text}' in the database"),
    };

    public static string Of(CertificateKind kind) => kind switch
    {
        CertificateKind.Birth => "birth",
        CertificateKind.Operational => "operational",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown certificate kind"),
    };

    public static CertificateKind ParseKind(string text) => text switch
    {
        "birth" => CertificateKind.Birth,
        "operational" => CertificateKind.Operational,
        _ => throw new InventoryException(InventoryErrorReason.UnsupportedDatabase, $"unknown certificate kind '{text}' in the database"),
    };

    public static CertificateStatus ParseStatus(string text) => text switch
    {
        "active" => CertificateStatus.Active,
        "superseded" => CertificateStatus.Superseded,
        "revoked" => CertificateStatus.Revoked,
        _ => throw new InventoryException(InventoryErrorReason.UnsupportedDatabase, $"unknown certificate status '{text}' in the database"),
    };

    public static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}

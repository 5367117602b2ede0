using System;
using IoTSec.Provision.Profiles;
using IoTSec.Provision.Provisioning;
using IoTSec.Provision.Station;

namespace IoTSec.Provision.Ledger;

/// <summary>Builds the birth record of a unit just provisioned, from what the device reported after its commit.</summary>
public static class BirthRecordFactory
{
    /// <summary>Creates the record.</summary>
    public static BirthRecord Create(long sequence, string previous, DateTimeOffset now, string operatorName, StationAuthority station, ProvisioningProfile profile, ProvisionedUnit unit)
    {
        ArgumentNullException.ThrowIfNull(station);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(unit);
        return new BirthRecord
        {
            Sequence = sequence,
            Previous = previous,
            Time = now.ToUniversalTime(),
            Operator = operatorName,
            Station = station.Fingerprint,
            HardwareId = unit.Info.HardwareId,
            Board = unit.Info.Board,
            DeviceClass = profile.Configuration.DeviceClass,
            CertificateSha256 = unit.CertificateSha256,
            Certificate = Convert.ToBase64String(unit.Certificate),
            FirmwareVersion = unit.Info.FirmwareVersion,
            FirmwareDigest = Convert.ToHexStringLower(unit.Info.GetFirmwareDigest()),
            Lock = unit.Info.Lock.ToString(),
            SecureBoot = unit.Info.SecureBoot.ToString(),
            FlashEncryption = unit.Info.FlashEncryption.ToString(),
            DebugPortsDisabled = unit.Info.DebugPortsDisabled.ToString(),
        };
    }
}

using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Protocol.Provisioning;
using IoTSec.Provision.Profiles;
using IoTSec.Provision.Serial;
using IoTSec.Provision.Station;

namespace IoTSec.Provision.Provisioning;

/// <summary>
/// Provisions one connected unit, step by step (docs/provisioning.md, "What provision does"):
/// checks the device, generates its birth key pair, issues its birth certificate, stages key,
/// certificate, anchors and configuration, compares the device's read-back with what was sent,
/// commits, and checks the commit took. The tool's copy of the private key is wiped whatever
/// happens. Nothing is committed unless every staged item read back exactly.
/// </summary>
public sealed class UnitProvisioner(StationAuthority station, ProvisioningProfile profile, TimeProvider time)
{
    /// <summary>Runs the steps on <paramref name="device"/>, reporting each to <paramref name="progress"/>.</summary>
    /// <param name="device">The greeted device.</param>
    /// <param name="replace">True to replace the identity of a device that is already provisioned.</param>
    /// <param name="requireHardening">True to refuse a unit that does not report secure boot, flash encryption and closed debug ports (the factory line, unless the profile is for development).</param>
    /// <param name="progress">Called with each step's description as it starts.</param>
    /// <returns>What was done, for the birth record.</returns>
    /// <exception cref="ProvisionException">Any step refused; its exit code says which class of failure.</exception>
    public ProvisionedUnit Provision(DeviceConnection device, bool replace, bool requireHardening, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(progress);
        progress("reading the device's state");
        DeviceInfo info = device.Run(c => c.GetInfo());
        if (!string.Equals(info.HardwareId, device.HardwareId, StringComparison.Ordinal))
        {
            throw new ProvisionException(ExitCode.WrongDevice, $"the device greeted as '{device.HardwareId}' but its Info says '{info.HardwareId}'");
        }

        if (info.Lock == ProvisioningLock.Locked)
        {
            throw new ProvisionException(ExitCode.Locked, $"device {info.HardwareId} is locked: it accepts no writes until a factory reset at the rework bench");
        }

        if (info.Lifecycle != LifecycleState.Unprovisioned && !replace)
        {
            throw new ProvisionException(ExitCode.AlreadyProvisioned, $"device {info.HardwareId} is already {info.Lifecycle}; give --replace to give it a new identity");
        }

        if (requireHardening)
        {
            string missing = MissingHardening(info);
            if (missing.Length > 0)
            {
                throw new ProvisionException(ExitCode.NotHardened, $"device {info.HardwareId} does not report {missing}; production units must (set 'development: true' in the profile for development units)");
            }
        }

        progress("generating the birth key pair (P-256)");
        using var birthKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] pkcs8 = birthKey.ExportPkcs8PrivateKey();
        try
        {
            progress($"issuing the birth certificate for {info.HardwareId} under station '{station.Certificate.Subject}'");
            using X509Certificate2 birth = station.IssueBirthCertificate(info.HardwareId, birthKey, time.GetUtcNow());
            byte[] certificate = birth.RawData;

            progress($"writing the birth certificate ({certificate.Length} bytes)");
            byte[] sentCertificate = device.Run(c => c.WriteBirthCertificate(certificate));
            progress("writing the birth key");
            byte[] sentKey = device.Run(c => c.WriteBirthKey(pkcs8));
            progress($"writing {profile.Anchors.Count} trust anchors");
            byte[] sentAnchors = device.Run(c => c.WriteTrustAnchors(profile.Anchors));
            progress($"writing the configuration (class {profile.Configuration.DeviceClass}, gateway {profile.Configuration.GatewayHost}:{profile.Configuration.GatewayPort})");
            byte[] sentConfiguration = device.Run(c => c.WriteConfiguration(profile.Configuration));

            progress("reading back the staged items");
            StagedDigests digests = device.Run(c => c.ReadBack());
            CheckReadBack(digests, StagedItems.BirthCertificate, sentCertificate, "birth certificate");
            CheckReadBack(digests, StagedItems.BirthKey, sentKey, "birth key");
            CheckReadBack(digests, StagedItems.TrustAnchors, sentAnchors, "trust anchors");
            CheckReadBack(digests, StagedItems.Configuration, sentConfiguration, "configuration");

            progress("committing");
            DeviceInfo after = Commit(device, progress);
            if (after.Lifecycle != LifecycleState.Provisioned || after.Staged != StagedItems.None)
            {
                throw new ProvisionException(ExitCode.NotReadBack, $"the commit did not read back: the device reports {after.Lifecycle} with staged items {after.Staged}");
            }

            progress("committed and verified");
            return new ProvisionedUnit(after, Convert.ToHexStringLower(SHA256.HashData(certificate)), certificate);
        }
        finally
        {
            // The device holds the key now (or nothing does); no copy stays in this process.
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>
    /// Commits and reads the state back. When the link fails around the commit, the device may
    /// have committed and only its answer been lost: the state is then read again, since
    /// reporting "link failed" for a unit that holds a new identity would leave it without
    /// a birth record.
    /// </summary>
    private static DeviceInfo Commit(DeviceConnection device, Action<string> progress)
    {
        try
        {
            device.Run(c => c.Commit());
        }
        catch (ProvisionException e) when (e.Code == ExitCode.LinkFailed)
        {
            progress("the commit's answer was lost; reading the device's state again");
            DeviceInfo state;
            try
            {
                state = device.Run(c => c.GetInfo());
            }
            catch (ProvisionException again) when (again.Code == ExitCode.LinkFailed)
            {
                throw new ProvisionException(ExitCode.NotReadBack, $"the link failed during the commit and again after it: the unit may hold the new identity without a birth record; run 'info' and re-provision with --replace ({again.Message})", again);
            }

            if (state.Staged != StagedItems.None)
            {
                // Still staged: the commit never ran. The unit keeps its previous identity.
                throw;
            }

            return state;
        }

        return device.Run(c => c.GetInfo());
    }

    /// <summary>The hardening a production unit must report and this one does not ("" when it has all).</summary>
    public static string MissingHardening(DeviceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var missing = new System.Collections.Generic.List<string>(3);
        if (info.SecureBoot != HardeningState.Yes)
        {
            missing.Add($"secure boot ({info.SecureBoot})");
        }

        if (info.FlashEncryption != HardeningState.Yes)
        {
            missing.Add($"flash encryption ({info.FlashEncryption})");
        }

        if (info.DebugPortsDisabled != HardeningState.Yes)
        {
            missing.Add($"debug ports disabled ({info.DebugPortsDisabled})");
        }

        return string.Join(", ", missing);
    }

    private static void CheckReadBack(StagedDigests digests, StagedItems item, byte[] sent, string name)
    {
        if (!digests.Matches(item, sent))
        {
            throw new ProvisionException(ExitCode.NotReadBack, $"the device's read-back of the {name} differs from what was sent; nothing was committed");
        }
    }
}

/// <summary>A unit provisioned: its state after the commit and its birth certificate.</summary>
/// <param name="Info">The device's Info answer after the commit.</param>
/// <param name="CertificateSha256">SHA-256 of the birth certificate (DER), lower-case hex: the inventory's key.</param>
/// <param name="Certificate">The birth certificate (DER).</param>
public sealed record ProvisionedUnit(DeviceInfo Info, string CertificateSha256, byte[] Certificate);

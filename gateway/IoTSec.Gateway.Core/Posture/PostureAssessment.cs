using System;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// The verdict rules for an accepted heartbeat, as one ordered table (docs/posture.md,
/// "Verdict rules"): the first compromising finding wins, else the first degrading one,
/// else healthy. Pure: the caller supplies the facts.
/// </summary>
public static class PostureAssessment
{
    /// <summary>
    /// Flags that weaken the device's defences (an attacker with the board in hand gets in);
    /// <see cref="PostureFlags.StorageDegraded"/> is here too because the chain head and the
    /// boot count may not survive a reset. Trial boot, an unsynchronised clock and a reverted
    /// update are states a healthy device passes through.
    /// </summary>
    public const PostureFlags Weakening =
        PostureFlags.DebugPortOpen | PostureFlags.SecureBootOff | PostureFlags.FlashEncryptionOff |
        PostureFlags.ConsoleUnlocked | PostureFlags.StorageDegraded;

    /// <summary>Judges one accepted heartbeat of <paramref name="posture"/>'s device.</summary>
    /// <param name="posture">The device's record, already updated with this heartbeat (boots, evidence).</param>
    /// <param name="fields">The heartbeat.</param>
    /// <param name="rules">The class rules from the policy.</param>
    /// <param name="settings">Thresholds.</param>
    public static PostureFinding Assess(DevicePosture posture, HeartbeatFields fields, IPostureRules rules, PostureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(posture);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(settings);

        // 1. Evidence of a clone in this key epoch stays until the device re-enrols.
        if (posture.Evidence is { } evidence)
        {
            return new PostureFinding(PostureVerdict.Compromised, evidence, "earlier evidence of compromise in this key epoch; re-enrol the device to clear it");
        }

        // 2. A class without rules cannot be judged: not proven hostile, not healthy either.
        if (rules.HeartbeatInterval(posture.DeviceClass) is null)
        {
            return new PostureFinding(PostureVerdict.Degraded, AlertCodes.UnknownClass, $"class '{posture.DeviceClass}' has no posture rules in the policy");
        }

        // 3. Firmware outside the allowed list of the class.
        if (!rules.IsFirmwareAllowed(posture.DeviceClass, fields.FirmwareDigest))
        {
            return new PostureFinding(
                PostureVerdict.Compromised,
                AlertCodes.UnknownFirmware,
                $"firmware {fields.FirmwareVersion} with digest {Convert.ToHexStringLower(fields.FirmwareDigest)} is not allowed for class '{posture.DeviceClass}'");
        }

        // 4. A reboot storm: a crash loop, a brown-out, or someone power-cycling it.
        if (posture.RecentBoots.Count >= settings.RebootStormBoots)
        {
            return new PostureFinding(
                PostureVerdict.Degraded,
                AlertCodes.RebootStorm,
                $"{posture.RecentBoots.Count} boots within {settings.RebootStormWindow} (boot count {fields.BootCount})");
        }

        // 5. Weakened defences, or bits this gateway does not know (fail closed).
        var weak = (fields.PostureFlags & Weakening) | PostureFlagsInfo.Unknown(fields.PostureFlags);
        if (weak != PostureFlags.None)
        {
            return new PostureFinding(PostureVerdict.Degraded, AlertCodes.InsecureConfiguration, $"posture flags 0x{(uint)weak:x} report a weakened device");
        }

        return PostureFinding.Healthy;
    }

    /// <summary>
    /// Updates the boot history of <paramref name="posture"/> with a heartbeat whose boot count
    /// is <paramref name="bootCount"/>, seen at <paramref name="now"/>: one entry per boot since
    /// the last accepted heartbeat, entries older than the window dropped, at most the storm
    /// threshold kept (bounded whatever a device reports).
    /// </summary>
    public static void NoteBoots(DevicePosture posture, uint bootCount, DateTimeOffset now, PostureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(posture);
        ArgumentNullException.ThrowIfNull(settings);
        if (posture.BootCount is { } previous && bootCount > previous)
        {
            var boots = Math.Min(bootCount - previous, (uint)settings.RebootStormBoots);
            for (var i = 0u; i < boots; i++)
            {
                posture.RecentBoots.Add(now);
            }
        }

        posture.RecentBoots.RemoveAll(at => now - at > settings.RebootStormWindow);
        if (posture.RecentBoots.Count > settings.RebootStormBoots)
        {
            posture.RecentBoots.RemoveRange(0, posture.RecentBoots.Count - settings.RebootStormBoots);
        }

        posture.BootCount = bootCount;
    }
}

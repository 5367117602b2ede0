using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// A reference <see cref="IProvisioningTarget"/> for tests: a staging area and an active
/// store in RAM, a lock flag, and the platform facts a board would report. It enforces
/// <see cref="ProvisioningRules"/> again on every call, as a real device's store must (a
/// second line behind the handler): a call the rules forbid throws, which the console
/// session would answer with InternalError — so a test that sees InternalError where it
/// expected a refusal has found a handler that let a forbidden call through.
/// </summary>
internal sealed class InMemoryProvisioningTarget : IProvisioningTarget
{
    public const string DefaultHardwareId = "ESP32-246F28A1B2C4";

    private byte[] _stagedCertificate = [];
    private byte[] _stagedKey = [];
    private byte[] _stagedAnchors = [];
    private byte[] _stagedConfiguration = [];

    public string HardwareId { get; set; } = DefaultHardwareId;

    public string Board { get; set; } = "esp32-devkitc";

    public string FirmwareVersion { get; set; } = "1.4.2";

    public byte[] FirmwareDigest { get; set; } = SHA256.HashData("firmware image"u8);

    public LifecycleState Lifecycle { get; set; } = LifecycleState.Unprovisioned;

    public ProvisioningLock Lock { get; private set; } = ProvisioningLock.Unlocked;

    public HardeningState SecureBoot { get; set; } = HardeningState.Yes;

    public HardeningState FlashEncryption { get; set; } = HardeningState.No;

    public HardeningState DebugPortsDisabled { get; set; } = HardeningState.Unknown;

    /// <summary>The rework strap, as the firmware would read it at boot.</summary>
    public bool ReworkStrapHeld { get; set; }

    /// <summary>Makes the next Stage call throw, as a flash write error would.</summary>
    public bool FailNextStage { get; set; }

    public byte[] ActiveCertificate { get; private set; } = [];

    public byte[] ActiveKey { get; private set; } = [];

    public byte[] ActiveAnchors { get; private set; } = [];

    public byte[] ActiveConfiguration { get; private set; } = [];

    public TrustAnchorList? StagedAnchorList { get; private set; }

    public ProvisioningConfiguration? StagedConfigurationValue { get; private set; }

    public int Commits { get; private set; }

    public int FactoryResets { get; private set; }

    public StagedItems Staged =>
        (_stagedCertificate.Length > 0 ? StagedItems.BirthCertificate : 0)
        | (_stagedKey.Length > 0 ? StagedItems.BirthKey : 0)
        | (_stagedAnchors.Length > 0 ? StagedItems.TrustAnchors : 0)
        | (_stagedConfiguration.Length > 0 ? StagedItems.Configuration : 0);

    public DeviceInfo GetInfo() => new(
        HardwareId,
        Board,
        FirmwareVersion,
        FirmwareDigest,
        Lifecycle,
        Lock,
        SecureBoot,
        FlashEncryption,
        DebugPortsDisabled,
        Staged,
        ReworkStrapHeld);

    public void StageBirthCertificate(byte[] certificate)
    {
        BeforeStage(ConsoleCommand.WriteBirthCertificate);
        ProvisioningPayloads.CheckBirthCertificate(certificate);
        _stagedCertificate = (byte[])certificate.Clone();
    }

    public void StageBirthKey(byte[] privateKey)
    {
        BeforeStage(ConsoleCommand.WriteBirthKey);
        ProvisioningPayloads.CheckBirthKey(privateKey);
        _stagedKey = (byte[])privateKey.Clone();

        // What the interface asks of a real store: the handler's array may hold the key.
        Array.Clear(privateKey);
    }

    public void StageTrustAnchors(TrustAnchorList anchors)
    {
        BeforeStage(ConsoleCommand.WriteTrustAnchors);
        _stagedAnchors = anchors.Encode();
        StagedAnchorList = anchors;
    }

    public void StageConfiguration(ProvisioningConfiguration configuration)
    {
        BeforeStage(ConsoleCommand.WriteConfiguration);
        _stagedConfiguration = configuration.Encode();
        StagedConfigurationValue = configuration;
    }

    public StagedDigests GetStagedDigests() => new(
        Digest(_stagedCertificate),
        Digest(_stagedKey),
        Digest(_stagedAnchors),
        Digest(_stagedConfiguration));

    public void Commit()
    {
        var status = ProvisioningRules.CheckCommit(GetInfo(), StagedItems.None, out _, out var refusal);
        Enforce(status, refusal);

        // All four move together: a device that lost power here keeps the old set or the new one.
        ActiveCertificate = _stagedCertificate;
        ActiveKey = _stagedKey;
        ActiveAnchors = _stagedAnchors;
        ActiveConfiguration = _stagedConfiguration;

        // The staged arrays are the active ones now: drop the references, do not wipe them.
        _stagedKey = [];
        ClearStaging();
        Lifecycle = LifecycleState.Provisioned;
        Commits++;
    }

    void IProvisioningTarget.Lock()
    {
        var status = ProvisioningRules.CheckLock(GetInfo(), StagedItems.None, out var refusal);
        Enforce(status, refusal);
        Lock = ProvisioningLock.Locked;
    }

    public void FactoryReset()
    {
        var status = ProvisioningRules.CheckLockGate(ConsoleCommand.FactoryReset, GetInfo(), out var refusal);
        Enforce(status, refusal);
        Array.Clear(ActiveKey);
        ActiveCertificate = [];
        ActiveKey = [];
        ActiveAnchors = [];
        ActiveConfiguration = [];
        ClearStaging();
        Lock = ProvisioningLock.Unlocked;
        Lifecycle = LifecycleState.Unprovisioned;
        FactoryResets++;
    }

    /// <summary>Sets the lock directly, for tests that start from a locked device.</summary>
    public void ForceLock() => Lock = ProvisioningLock.Locked;

    private static byte[] Digest(byte[] item) => item.Length == 0 ? [] : SHA256.HashData(item);

    private static void Enforce(ConsoleStatus status, string refusal)
    {
        if (status != ConsoleStatus.Ok)
        {
            throw new InvalidOperationException("the store refuses: " + refusal);
        }
    }

    private void BeforeStage(ConsoleCommand command)
    {
        Enforce(ProvisioningRules.CheckLockGate(command, GetInfo(), out var refusal), refusal);
        if (FailNextStage)
        {
            FailNextStage = false;
            throw new InvalidOperationException("flash write failed");
        }
    }

    private void ClearStaging()
    {
        Array.Clear(_stagedKey);
        _stagedCertificate = [];
        _stagedKey = [];
        _stagedAnchors = [];
        _stagedConfiguration = [];
        StagedAnchorList = null;
        StagedConfigurationValue = null;
    }
}

using System.Collections.Generic;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>One board's profile, as hardware/boards/&lt;board&gt;.json holds it (board-profile.schema.json).</summary>
public sealed record BoardProfile(
    string Board,
    string Title,
    ChipInfo Chip,
    NanoTarget Nanoframework,
    MemoryInfo Memory,
    NetworkInfo Network,
    UartInfo Debugger,
    UartInfo Console,
    IReadOnlyList<ReservedPin> ReservedPins,
    IReadOnlyList<FlashRegion> FlashLayout,
    StorageInfo Storage,
    SlotInfo Slots,
    IReadOnlyList<HardeningStep> Hardening,
    SdCardInfo? SdCard = null);

/// <summary>The chip.</summary>
public sealed record ChipInfo(string Family, string Part, long FlashBytes, string? Module = null, long FlashBase = 0);

/// <summary>The nanoFramework target and how nanoff installs it.</summary>
public sealed record NanoTarget(string Target, string Platform, string Update, long DeployAddress, string? Source = null);

/// <summary>Managed heap and external RAM.</summary>
public sealed record MemoryInfo(long ManagedHeapBytes, string Source, long PsramBytes = 0);

/// <summary>How the board reaches the gateway.</summary>
public sealed record NetworkInfo(string Kind, string? Notes = null);

/// <summary>A UART and its pins.</summary>
public sealed record UartInfo(string Port, string Tx, string Rx, int Baud, string? Notes = null);

/// <summary>The SD card interface.</summary>
public sealed record SdCardInfo(string Interface, int Slot, int DataWidth, IReadOnlyDictionary<string, string> Pins);

/// <summary>A pin the firmware must not use, and why.</summary>
public sealed record ReservedPin(string Pin, string Reason);

/// <summary>A region of the chip's flash.</summary>
public sealed record FlashRegion(string Name, long Offset, long Size, string Contents);

/// <summary>The drive the firmware's files live on.</summary>
public sealed record StorageInfo(string Drive, string FileSystem, string Medium, long SizeBytes, bool PowerLossSafe, string? Partition = null, string? Notes = null);

/// <summary>The A/B slot files and their budget.</summary>
public sealed record SlotInfo(IReadOnlyList<string> Files, long SlotBytes, long RecordsBytes);

/// <summary>A manufacturing hardening step.</summary>
public sealed record HardeningStep(string Id, string What, string Command, bool Irreversible, string? Caveat = null);

using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>
/// The checks a profile must pass beyond its schema: pins exist and do not collide, the
/// console is not the debugger's port, the flash layout fits the chip, the slots fit the
/// storage and the RAM the loader reads them into, and the family's hardening is listed.
/// Each violation names the key it is about.
/// </summary>
public static class BoardProfileRules
{
    /// <summary>The port nanoFramework's debugger (wire protocol) uses on every supported target.</summary>
    public const string DebuggerPort = "COM1";

    /// <summary>
    /// Share of a LittleFS volume the firmware may plan to fill: LittleFS needs free blocks for
    /// its copy-on-write metadata, and a full volume turns every write into a compaction.
    /// </summary>
    public const double LittleFsUsableShare = 0.75;

    /// <summary>Hardening steps each family's profile must list.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RequiredHardening = new Dictionary<string, string[]>
    {
        ["esp32"] = ["secure-boot-v2", "flash-encryption", "jtag-disable", "uart-download-disable", "no-managed-debugger", "empty-ca-store"],
        ["stm32f7"] = ["rdp-level-2", "write-protect-code", "no-managed-debugger", "empty-ca-store"],
    };

    /// <summary>Every violation of <paramref name="profile"/> read from <paramref name="fileName"/>; empty when it passes.</summary>
    public static IReadOnlyList<string> Check(string fileName, BoardProfile profile)
    {
        var errors = new List<string>();
        string family = profile.Chip.Family;

        if (fileName != profile.Board + ".json")
        {
            errors.Add($"/board: '{profile.Board}' does not match the file name {fileName}");
        }

        CheckPins(profile, family, errors);
        CheckUarts(profile, family, errors);
        CheckFlash(profile, errors);
        CheckStorageAndSlots(profile, errors);
        CheckHardening(profile, family, errors);
        return errors;
    }

    private static void CheckPins(BoardProfile profile, string family, List<string> errors)
    {
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        void Use(string key, string pin)
        {
            if (!ChipPins.Exists(family, pin))
            {
                errors.Add($"{key}: {pin} is not a pin of a {family} chip");
            }

            if (used.TryGetValue(pin, out var other))
            {
                errors.Add($"{key}: {pin} is already used by {other}");
            }
            else
            {
                used[pin] = key;
            }
        }

        Use("/debugger/tx", profile.Debugger.Tx);
        Use("/debugger/rx", profile.Debugger.Rx);
        Use("/console/tx", profile.Console.Tx);
        Use("/console/rx", profile.Console.Rx);
        if (profile.SdCard is { } sd)
        {
            foreach (var (signal, pin) in sd.Pins.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Use("/sdCard/pins/" + signal, pin);
            }
        }

        var reservedSeen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < profile.ReservedPins.Count; i++)
        {
            string pin = profile.ReservedPins[i].Pin;
            string key = $"/reservedPins/{i}/pin";
            if (!ChipPins.Exists(family, pin))
            {
                errors.Add($"{key}: {pin} is not a pin of a {family} chip");
            }

            if (!reservedSeen.Add(pin))
            {
                errors.Add($"{key}: {pin} is listed twice");
            }

            if (used.TryGetValue(pin, out var user))
            {
                errors.Add($"{user}: {pin} is reserved ({profile.ReservedPins[i].Reason})");
            }
        }
    }

    private static void CheckUarts(BoardProfile profile, string family, List<string> errors)
    {
        if (profile.Debugger.Port != DebuggerPort)
        {
            errors.Add($"/debugger/port: nanoFramework's wire protocol is on {DebuggerPort}, not {profile.Debugger.Port}");
        }

        if (profile.Console.Port == DebuggerPort || profile.Console.Port == profile.Debugger.Port)
        {
            errors.Add($"/console/port: {profile.Console.Port} is the debugger's port; the provisioning console needs its own UART");
        }

        if (ChipPins.IsInputOnly(family, profile.Console.Tx))
        {
            errors.Add($"/console/tx: {profile.Console.Tx} is input-only and cannot transmit");
        }

        if (family == "esp32" && profile.Console.Port != "COM2")
        {
            errors.Add($"/console/port: the ESP32 device layer maps the console as COM2 (DeviceFunction.COM2_TX/RX), not {profile.Console.Port}");
        }
    }

    private static void CheckFlash(BoardProfile profile, List<string> errors)
    {
        long start = profile.Chip.FlashBase;
        long end = start + profile.Chip.FlashBytes;
        long previousEnd = start;
        for (int i = 0; i < profile.FlashLayout.Count; i++)
        {
            var region = profile.FlashLayout[i];
            string key = $"/flashLayout/{i}";
            if (region.Offset < previousEnd)
            {
                errors.Add($"{key}: '{region.Name}' at 0x{region.Offset:X} overlaps the region before it (ends at 0x{previousEnd:X}) or is out of order");
            }

            if (region.Offset + region.Size > end)
            {
                errors.Add($"{key}: '{region.Name}' ends at 0x{region.Offset + region.Size:X}, past the {profile.Chip.FlashBytes}-byte flash");
            }

            previousEnd = Math.Max(previousEnd, region.Offset + region.Size);
        }

        if (!profile.FlashLayout.Any(r => r.Offset == profile.Nanoframework.DeployAddress))
        {
            errors.Add($"/nanoframework/deployAddress: 0x{profile.Nanoframework.DeployAddress:X} is not the start of a flash region");
        }
    }

    private static void CheckStorageAndSlots(BoardProfile profile, List<string> errors)
    {
        var storage = profile.Storage;
        if (storage.Partition is { } partition)
        {
            var region = profile.FlashLayout.FirstOrDefault(r => r.Name == partition);
            if (region is null)
            {
                errors.Add($"/storage/partition: no flash region named '{partition}'");
            }
            else if (region.Size != storage.SizeBytes)
            {
                errors.Add($"/storage/sizeBytes: {storage.SizeBytes} differs from partition '{partition}' ({region.Size} bytes)");
            }
        }

        if (storage.FileSystem == "littlefs" && !storage.PowerLossSafe)
        {
            errors.Add("/storage/powerLossSafe: LittleFS is copy-on-write and power-loss safe; say so");
        }

        if (storage.FileSystem == "fat" && storage.PowerLossSafe)
        {
            errors.Add("/storage/powerLossSafe: FAT is not power-loss safe");
        }

        var slots = profile.Slots;
        if (slots.Files.Count != 2 || slots.Files[0] == slots.Files[1])
        {
            errors.Add("/slots/files: two distinct slot files are needed (A and B)");
        }

        long planned = (2 * slots.SlotBytes) + slots.RecordsBytes;
        long usable = storage.FileSystem == "littlefs" ? (long)(storage.SizeBytes * LittleFsUsableShare) : storage.SizeBytes;
        if (planned > usable)
        {
            errors.Add($"/slots/slotBytes: two slots of {slots.SlotBytes} plus {slots.RecordsBytes} of records need {planned} bytes; the storage allows {usable}");
        }

        // The loader reads a whole slot into a byte[] and Assembly.Load copies it again: both
        // must fit in half of the managed heap, leaving the other half to the application.
        long loadPeak = 2 * slots.SlotBytes;
        if (loadPeak > profile.Memory.ManagedHeapBytes / 2)
        {
            errors.Add($"/slots/slotBytes: loading a full slot takes {loadPeak} bytes of managed heap, more than half of {profile.Memory.ManagedHeapBytes}");
        }
    }

    private static void CheckHardening(BoardProfile profile, string family, List<string> errors)
    {
        var ids = profile.Hardening.Select(h => h.Id).ToList();
        foreach (var duplicate in ids.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"/hardening: '{duplicate.Key}' is listed {duplicate.Count()} times");
        }

        if (RequiredHardening.TryGetValue(family, out var required))
        {
            foreach (var id in required.Where(r => !ids.Contains(r)))
            {
                errors.Add($"/hardening: the {family} step '{id}' is missing");
            }
        }
        else
        {
            errors.Add($"/chip/family: no hardening requirements known for '{family}'");
        }
    }
}

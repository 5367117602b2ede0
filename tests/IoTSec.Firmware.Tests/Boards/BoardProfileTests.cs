using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using IoTSec.Firmware.Nano.Boards;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>
/// Every board profile in hardware/boards: its schema, its pins, its flash and slot layout, its
/// hardening, and the device's own board table (firmware/IoTSec.Firmware.Nano/Boards) against it.
/// </summary>
[TestClass]
public sealed class BoardProfileTests
{
    public static IEnumerable<object[]> Profiles => BoardProfiles.Rows;

    [TestMethod]
    public void BothSupportedBoardsHaveAProfile()
    {
        var names = BoardProfiles.Files.Select(Path.GetFileNameWithoutExtension).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "esp32-devkitc", "stm32f769i-disco" }, names);
    }

    [TestMethod]
    [DynamicData(nameof(Profiles))]
    public void ProfileMatchesTheSchemaAndTheRules(string file)
    {
        var profile = BoardProfileReader.Read(Path.Combine(BoardProfiles.Directory, file));
        var errors = BoardProfileRules.Check(file, profile);
        Assert.AreEqual(0, errors.Count, string.Join(Environment.NewLine, errors));
    }

    [TestMethod]
    [DynamicData(nameof(Profiles))]
    public void DeviceBoardTableAgreesWithTheProfile(string file)
    {
        var profile = BoardProfileReader.Read(Path.Combine(BoardProfiles.Directory, file));
        var entry = NanoBoards.All.SingleOrDefault(b => b.Name == profile.Board);
        Assert.IsNotNull(entry, $"firmware/IoTSec.Firmware.Nano/Boards/NanoBoards.cs has no entry for {profile.Board}");

        Assert.AreEqual(profile.Nanoframework.Target, entry.TargetName, "target name");
        Assert.AreSame(entry, NanoBoards.FindByTarget(profile.Nanoframework.Target));
        Assert.AreEqual(profile.Storage.Drive, entry.StorageRoot, "storage drive");
        Assert.AreEqual(profile.Storage.SizeBytes, entry.StorageBytes, "storage budget");
        Assert.AreEqual(profile.Console.Port, entry.ConsolePort, "console port");
        Assert.AreEqual(profile.Console.Baud, entry.ConsoleBaud, "console bit rate");
        Assert.AreEqual(profile.Slots.SlotBytes, entry.SlotBytes, "slot size");
        Assert.AreEqual(profile.Network.Kind == "wifi", entry.UsesWifi, "network kind");
        if (profile.Chip.Family == "esp32")
        {
            // The ESP32 maps the console's pins at run time: the table must name the profile's.
            Assert.AreEqual(ChipPins.Esp32Number(profile.Console.Tx), entry.ConsoleTxGpio, "console TX GPIO");
            Assert.AreEqual(ChipPins.Esp32Number(profile.Console.Rx), entry.ConsoleRxGpio, "console RX GPIO");
        }
        else
        {
            Assert.AreEqual(-1, entry.ConsoleTxGpio, "STM32 console pins are fixed by nanoCLR, not mapped");
            Assert.AreEqual(-1, entry.ConsoleRxGpio, "STM32 console pins are fixed by nanoCLR, not mapped");
        }
    }

    [TestMethod]
    public void EveryDeviceTableEntryHasAProfile()
    {
        foreach (var board in NanoBoards.All)
        {
            Assert.IsTrue(File.Exists(Path.Combine(BoardProfiles.Directory, board.Name + ".json")), $"no profile for {board.Name}");
        }

        Assert.IsNull(NanoBoards.FindByTarget("ESP32_S3"), "an unknown target must not be matched to a board");
    }

    [TestMethod]
    public void UnknownKeyIsRefusedByName()
    {
        var e = Assert.ThrowsExactly<BoardProfileException>(() => Mutated(p => p["console"]!["flowControl"] = "rts"));
        StringAssert.Contains(e.Key, "/console");
    }

    [TestMethod]
    public void MissingKeyIsRefused()
    {
        var e = Assert.ThrowsExactly<BoardProfileException>(() => Mutated(p => p.AsObject().Remove("slots")));
        Assert.AreEqual("esp32-devkitc.json", e.File);
        StringAssert.Contains(e.Message, "slots");
    }

    [TestMethod]
    public void MalformedPinNameIsRefusedByKey()
    {
        var e = Assert.ThrowsExactly<BoardProfileException>(() => Mutated(p => p["console"]!["tx"] = "IO33"));
        Assert.AreEqual("/console/tx", e.Key);
    }

    [TestMethod]
    public void NotJsonIsRefusedWithItsLine()
    {
        var e = Assert.ThrowsExactly<BoardProfileException>(() => BoardProfileReader.Parse("x.json", "{\n  \"board\": \n}"));
        StringAssert.StartsWith(e.Key, "line ");
    }

    [TestMethod]
    public void ConsoleOnTheDebuggerPortIsCaught() =>
        AssertViolation(p => p["console"]!["port"] = "COM1", "/console/port");

    [TestMethod]
    public void ConsolePinOnReservedPsramPinIsCaught() =>
        AssertViolation(p => p["console"]!["tx"] = "GPIO17", "/console/tx: GPIO17 is reserved");

    [TestMethod]
    public void PinThatTheChipLacksIsCaught() =>
        AssertViolation(p => p["console"]!["rx"] = "GPIO24", "/console/rx: GPIO24 is not a pin");

    [TestMethod]
    public void InputOnlyTransmitPinIsCaught() =>
        AssertViolation(p => p["console"]!["tx"] = "GPIO34", "/console/tx: GPIO34 is input-only");

    [TestMethod]
    public void PinUsedTwiceIsCaught() =>
        AssertViolation(p => p["console"]!["rx"] = "GPIO33", "/console/rx: GPIO33 is already used by /console/tx");

    [TestMethod]
    public void OverlappingFlashRegionsAreCaught() =>
        AssertViolation(p => p["flashLayout"]![5]!["offset"] = 0x1D0000, "/flashLayout/5");

    [TestMethod]
    public void SlotsLargerThanTheStorageAreCaught() =>
        AssertViolation(p => p["slots"]!["slotBytes"] = 900 * 1024, "/slots/slotBytes: two slots");

    [TestMethod]
    public void SlotsLargerThanTheHeapCanLoadAreCaught() =>
        AssertViolation(p => p["memory"]!["managedHeapBytes"] = 1024 * 1024, "/slots/slotBytes: loading a full slot");

    [TestMethod]
    public void MissingHardeningStepIsCaught() =>
        AssertViolation(p => p["hardening"]!.AsArray().RemoveAt(0), "'secure-boot-v2' is missing");

    [TestMethod]
    public void StoragePartitionOfTheWrongSizeIsCaught() =>
        AssertViolation(p => p["storage"]!["sizeBytes"] = 1048576, "/storage/sizeBytes");

    private static void AssertViolation(Action<JsonNode> change, string expected)
    {
        var profile = Mutated(change);
        var errors = BoardProfileRules.Check("esp32-devkitc.json", profile);
        Assert.IsTrue(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"expected a violation containing \"{expected}\", got:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    private static BoardProfile Mutated(Action<JsonNode> change)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(BoardProfiles.Directory, "esp32-devkitc.json")))!;
        change(node);
        return BoardProfileReader.Parse("esp32-devkitc.json", node.ToJsonString());
    }
}

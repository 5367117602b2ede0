using System;
using System.IO;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Storage;

[TestClass]
public sealed class RecordStoreTests
{
    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("iotsec-record-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void NeverWrittenRecordReadsAsNull()
    {
        var store = new RecordStore(new DirectoryFlashStore(_directory, 1 << 20), "state");
        Assert.IsNull(store.Read());
    }

    [TestMethod]
    public void LatestWriteWinsAcrossReopen()
    {
        var flash = new DirectoryFlashStore(_directory, 1 << 20);
        var store = new RecordStore(flash, "state");
        for (byte i = 1; i <= 5; i++)
        {
            store.Write(new byte[] { i, i, i });
        }

        CollectionAssert.AreEqual(new byte[] { 5, 5, 5 }, new RecordStore(new DirectoryFlashStore(_directory, 1 << 20), "state").Read());
    }

    [TestMethod]
    public void PowerCutAtEveryByteLeavesOldOrNewValue()
    {
        byte[] old = new byte[40];
        byte[] updated = new byte[25];
        Array.Fill(old, (byte)0xAA);
        Array.Fill(updated, (byte)0x55);
        int imageLength = 12 + updated.Length + 4;
        int cuts = 0;

        // Two rounds so that the cut lands once on each copy (the writer alternates them).
        for (int round = 0; round < 2; round++)
        {
            for (int cutAt = 0; cutAt < imageLength; cutAt++)
            {
                string dir = Path.Combine(_directory, $"r{round}-{cutAt}");
                var flash = new DirectoryFlashStore(dir, 1 << 20);
                var store = new RecordStore(flash, "state");
                for (int i = 0; i <= round; i++)
                {
                    store.Write(old);
                }

                flash.PowerCut.Arm(0, cutAt);
                Assert.ThrowsExactly<DeviceRebootException>(() => store.Write(updated));
                cuts++;

                byte[]? after = new RecordStore(new DirectoryFlashStore(dir, 1 << 20), "state").Read();
                Assert.IsNotNull(after, $"value lost with a cut after {cutAt} bytes");
                CollectionAssert.AreEqual(old, after, $"a torn write must leave the old value (cut after {cutAt} bytes)");
            }
        }

        Assert.AreEqual(2 * imageLength, cuts);
    }

    [TestMethod]
    public void EraseRemovesTheRecord()
    {
        var store = new RecordStore(new DirectoryFlashStore(_directory, 1 << 20), "state");
        store.Write(new byte[] { 1 });
        store.Write(new byte[] { 2 });
        store.Erase();
        Assert.IsNull(store.Read());
    }

    [TestMethod]
    public void FullFlashFailsTheWriteAndKeepsTheOldValue()
    {
        var flash = new DirectoryFlashStore(_directory, 100);
        var store = new RecordStore(flash, "state");
        store.Write(new byte[10]);
        Assert.ThrowsExactly<FlashException>(() => store.Write(new byte[80]));
        CollectionAssert.AreEqual(new byte[10], store.Read());
    }

    [TestMethod]
    public void BadFileNameIsRefused()
    {
        var flash = new DirectoryFlashStore(_directory, 100);
        Assert.ThrowsExactly<FlashException>(() => flash.GetLength("../etc"));
    }
}

using System;
using System.IO;
using System.Reflection;
using System.Threading;
using IoTSec.Firmware.Nano;
using IoTSec.Firmware.Nano.Boards;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;
using nanoFramework.Runtime.Native;

namespace IoTSec.Firmware.Loader
{
    /// <summary>
    /// The loader: the only managed code flashed at manufacturing besides the class libraries.
    /// At every boot it asks the core's A/B boot table which slot to run, loads that slot's
    /// application bundle with <c>Assembly.Load(byte[])</c> and starts its entry type by
    /// reflection (the pattern of nanoFramework's AzureEdgeOta sample). It holds no update
    /// logic of its own, so it changes only when the boot table or the bundle format does.
    /// </summary>
    public static class Program
    {
        private const int DriveWaitMs = 15000;
        private const int RestartDelayMs = 5000;

        /// <summary>Entry point of the nanoFramework application.</summary>
        public static void Main()
        {
            DebugLog log = new DebugLog();
            NanoBoard board = NanoBoards.FindByTarget(SystemInfo.TargetName);
            if (board == null)
            {
                // Nothing safe to do on an unknown board: no reboot loop, wait for a technician.
                log.Write("loader: no board profile for target " + SystemInfo.TargetName + "; halted.");
                Thread.Sleep(Timeout.Infinite);
                return;
            }

            try
            {
                WaitForDrive(board.StorageRoot);
                IFlashStore flash = new NanoFlashStore(board.StorageRoot, board.StorageBytes);
                BootDecision decision = BootSelector.Decide(flash);
                string slotFile = BootContract.SlotFileOf(decision);
                log.Write("loader: starting " + slotFile);
                StartBundle(ReadSlot(flash, slotFile, board.SlotBytes), log);
                log.Write("loader: the application returned; restarting.");
            }
            catch (Exception e)
            {
                // Whatever failed (no image, a damaged bundle, an application that threw), the
                // answer is the same: restart, and let the boot table count the attempt and
                // revert a trial image that keeps failing. DeviceRebootException does not exist
                // on the device (Power.RebootDevice does not return).
                log.Write("loader: start failed: " + e.Message + "; restarting.");
            }

            Thread.Sleep(RestartDelayMs);
            Power.RebootDevice();
        }

        private static void WaitForDrive(string root)
        {
            // The STM32 board's SD card is mounted by nanoCLR when its card-detect fires, which
            // can come after Main starts.
            long deadline = Environment.TickCount64 + DriveWaitMs;
            while (true)
            {
                DriveInfo[] drives = DriveInfo.GetDrives();
                for (int i = 0; i < drives.Length; i++)
                {
                    if (drives[i].Name == root)
                    {
                        return;
                    }
                }

                if (Environment.TickCount64 > deadline)
                {
                    throw new IOException("Storage drive " + root + " is not mounted.");
                }

                Thread.Sleep(250);
            }
        }

        private static byte[] ReadSlot(IFlashStore flash, string slotFile, long slotBytes)
        {
            long length = flash.GetLength(slotFile);
            if (length <= 0 || length > slotBytes)
            {
                throw new InvalidOperationException("Slot file '" + slotFile + "' is missing or larger than a slot (" + length + " bytes).");
            }

            byte[] image = new byte[(int)length];
            int read = 0;
            while (read < image.Length)
            {
                int n = flash.Read(slotFile, read, image, read, image.Length - read > 4096 ? 4096 : image.Length - read);
                if (n <= 0)
                {
                    throw new InvalidOperationException("Slot file '" + slotFile + "' ended at " + read + " of " + length + " bytes.");
                }

                read += n;
            }

            return image;
        }

        private static void StartBundle(byte[] image, DebugLog log)
        {
            ApplicationBundle bundle = ApplicationBundle.Parse(image);
            image = null;
            Type entry = null;

            // In bundle order: an assembly's references must already be loaded (or be class
            // libraries deployed with the loader) when it loads.
            for (int i = 0; i < bundle.AssemblyCount; i++)
            {
                Assembly loaded = Assembly.Load(bundle.GetAssembly(i));
                Type candidate = loaded.GetType(bundle.EntryTypeName);
                if (candidate != null)
                {
                    entry = candidate;
                }
            }

            if (entry == null)
            {
                throw new InvalidOperationException("No assembly of the bundle defines its entry type " + bundle.EntryTypeName + ".");
            }

            MethodInfo start = entry.GetMethod(EntryContract.StartMethodName);
            if (start == null)
            {
                throw new InvalidOperationException("Entry type " + bundle.EntryTypeName + " has no public static " + EntryContract.StartMethodName + "().");
            }

            log.Write("loader: " + bundle.AssemblyCount + " assemblies loaded; calling " + bundle.EntryTypeName + "." + EntryContract.StartMethodName + "().");
            start.Invoke(null, null);
        }
    }
}

using System.Collections.Generic;
using System.Device.Gpio;
using Iot.Device.Gpio;
using IoTSec.Gateway.Hardware;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>The switch's polarity and fail-safe bias, through the virtual controller.</summary>
[TestClass]
public sealed class TamperSwitchTests
{
    [TestMethod]
    public void ALidClosedToGroundReadsClosedAndACutWireReadsOpen()
    {
        var driver = new SimulatedGpioDriver();
        using var board = new GpioController(driver);
        using var controller = new VirtualGpioController(new Dictionary<int, GpioPin> { [17] = board.OpenPin(17) });
        using var sensor = new TamperSwitch(controller, 17, activeLow: true);

        driver.Drive(17, PinValue.Low);
        Assert.IsTrue(sensor.ReadLidClosed());
        Assert.IsTrue(sensor.HasBias);

        // Nothing drives the line: the pull-up makes it read open (tampered), never closed.
        driver.Drive(17, null);
        Assert.IsFalse(sensor.ReadLidClosed());
    }
}

package clipcl.cuda;

import org.bytedeco.javacpp.Pointer;

/** A device address as a JavaCPP Pointer (for API calls); owns nothing, frees nothing. */
final class DevicePointer extends Pointer {
    DevicePointer(long address) {
        this.address = address;
    }
}

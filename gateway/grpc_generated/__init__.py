"""The Python code protoc makes of ``contracts/proto/emulation/v1`` (R5.2). Written by
``python -m gateway.protos``; do not edit."""

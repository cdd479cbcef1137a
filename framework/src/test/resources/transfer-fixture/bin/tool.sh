#!/bin/sh
echo "tool ran with $*"

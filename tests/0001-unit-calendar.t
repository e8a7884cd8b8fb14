#!/bin/sh
# The calendar's C unit tests: conversion over 1206–1498 AP, parsing, working days.
cd "$(dirname "$0")/.." && exec tests/unit/test-calendar

#!/usr/bin/env node
import {execute} from '@oclif/core'
import {routeToDefaultCommand} from '../dist/default-command.js'

await execute({dir: import.meta.url, args: routeToDefaultCommand(process.argv.slice(2))})

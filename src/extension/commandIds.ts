/** Every command Glassbox contributes (package.json `contributes.commands` uses the same ids). */
export const CommandId = {
  trainModel: 'glassbox.trainModel',
  resumeTraining: 'glassbox.resumeTraining',
  stopTraining: 'glassbox.stopTraining',
  togglePause: 'glassbox.togglePause',
  stepBatch: 'glassbox.stepBatch',
  stepOperation: 'glassbox.stepOperation',
  openPanel: 'glassbox.openPanel',
  validateModel: 'glassbox.validateModel',
  selectLayer: 'glassbox.selectLayer',
  probeText: 'glassbox.probeText',
  /** Internal (not in the palette): the Probe tab's request (protocol/probeRequest.ts). */
  probe: 'glassbox.probe',
  runBookExperiment: 'glassbox.runBookExperiment',
  walkthroughOpenExample: 'glassbox.walkthrough.openExample',
  walkthroughTrainExample: 'glassbox.walkthrough.trainExample',
  exportPyTorch: 'glassbox.exportPyTorch',
  importPyTorch: 'glassbox.importPyTorch',
  runAutodiffExpression: 'glassbox.runAutodiffExpression',
} as const;
